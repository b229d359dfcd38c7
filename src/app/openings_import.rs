//! `openings import FILE`: validate the whole file, then replace the openings atomically.

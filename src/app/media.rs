//! Removable media (USB sticks, SD cards) an export can go to or an import can come from:
//! the mounted filesystems whose block device the kernel calls removable
//! (`/sys/block/<disk>/removable` is 1) or that hang off a USB bus (the device's sysfs path
//! goes through a `usb` node; many USB sticks report `removable` 0). A folder under `/mnt`
//! that is not such a device (a network share, a second internal disk) is never offered.
//!
//! `JOBFAIR_USB_ROOTS` (colon-separated folders) replaces the detection: every folder right
//! under those roots counts as a removable medium (tests, odd systems).

use std::path::{Path, PathBuf};

/// Environment override of the detection (see the module docs).
pub const USB_ROOTS_ENV: &str = "JOBFAIR_USB_ROOTS";

/// A mounted removable medium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Medium {
    /// Where it is mounted.
    pub mount: PathBuf,
    /// The kernel's name of the partition or disk, e.g. `sdb1` ("" with the override).
    pub device: String,
    /// Vendor and model as the device reports them, e.g. `SanDisk Cruzer Blade`.
    pub model: String,
    /// Size of the partition in bytes, when known.
    pub size: Option<u64>,
}

impl Medium {
    /// What the staff see: device, model and size, e.g. `sdb1 · SanDisk Cruzer · 15.6 GB`.
    pub fn description(&self) -> String {
        let size = self
            .size
            .map(|b| format!("{:.1} GB", b as f64 / 1e9))
            .unwrap_or_default();
        [self.device.as_str(), self.model.as_str(), size.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The removable media mounted now, by mount point.
pub fn removable_media() -> Vec<Medium> {
    match std::env::var(USB_ROOTS_ENV) {
        Ok(roots) if !roots.is_empty() => folders_under(&roots),
        _ => {
            let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
            removable_media_in(&mounts, Path::new("/sys"))
        }
    }
}

fn folders_under(roots: &str) -> Vec<Medium> {
    let mut out: Vec<Medium> = roots
        .split(':')
        .filter_map(|root| std::fs::read_dir(root).ok())
        .flat_map(|d| d.flatten().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .map(|mount| Medium {
            mount,
            device: String::new(),
            model: String::new(),
            size: None,
        })
        .collect();
    out.sort_by(|a, b| a.mount.cmp(&b.mount));
    out
}

/// The removable media among `mounts` (the text of `/proc/self/mounts`), judged by the
/// sysfs tree at `sys`.
pub fn removable_media_in(mounts: &str, sys: &Path) -> Vec<Medium> {
    let mut out = Vec::new();
    for line in mounts.lines() {
        let mut fields = line.split(' ');
        let (Some(source), Some(point)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Some(name) = source.strip_prefix("/dev/") else {
            continue;
        };
        // /proc/self/mounts escapes spaces and tabs as octal.
        let point = point.replace("\\040", " ").replace("\\011", "\t");
        if let Some(medium) = judge(sys, name, PathBuf::from(point)) {
            out.push(medium);
        }
    }
    out.sort_by(|a, b| a.mount.cmp(&b.mount));
    out.dedup_by(|a, b| a.mount == b.mount);
    out
}

fn read_trim(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
}

/// The medium `/dev/<name>` mounted at `mount`, if its disk is removable or on USB.
fn judge(sys: &Path, name: &str, mount: PathBuf) -> Option<Medium> {
    let node = std::fs::canonicalize(sys.join("class/block").join(name)).ok()?;
    let disk_node = if node.join("partition").exists() {
        node.parent()?.to_path_buf()
    } else {
        node.clone()
    };
    let disk = disk_node.file_name()?.to_str()?.to_string();
    let removable =
        read_trim(&sys.join("block").join(&disk).join("removable")).as_deref() == Some("1");
    let on_usb = disk_node
        .components()
        .any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with("usb")));
    if !removable && !on_usb {
        return None;
    }
    let device_dir = disk_node.join("device");
    let model = [
        read_trim(&device_dir.join("vendor")),
        read_trim(&device_dir.join("model")),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let size = read_trim(&node.join("size"))
        .and_then(|s| s.parse::<u64>().ok())
        .map(|sectors| sectors * 512);
    Some(Medium {
        mount,
        device: name.to_string(),
        model,
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A sysfs tree with disk `disk` (partition `part`) at `devpath` under `devices/`.
    fn add_disk(sys: &Path, devpath: &str, disk: &str, part: &str, removable: &str) {
        let disk_dir = sys.join("devices").join(devpath).join("block").join(disk);
        let part_dir = disk_dir.join(part);
        std::fs::create_dir_all(&part_dir).unwrap();
        std::fs::create_dir_all(disk_dir.join("device")).unwrap();
        std::fs::write(disk_dir.join("removable"), removable).unwrap();
        std::fs::write(disk_dir.join("device/vendor"), "SanDisk \n").unwrap();
        std::fs::write(disk_dir.join("device/model"), "Cruzer Blade    \n").unwrap();
        std::fs::write(part_dir.join("partition"), "1").unwrap();
        std::fs::write(part_dir.join("size"), "30529536").unwrap();
        std::fs::create_dir_all(sys.join("block")).unwrap();
        std::fs::create_dir_all(sys.join("class/block")).unwrap();
        symlink(&disk_dir, sys.join("block").join(disk)).unwrap();
        symlink(&part_dir, sys.join("class/block").join(part)).unwrap();
        symlink(&disk_dir, sys.join("class/block").join(disk)).unwrap();
    }

    #[test]
    fn only_usb_or_removable_disks_are_offered_and_each_says_which_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let sys = dir.path();
        add_disk(
            sys,
            "pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0",
            "sdb",
            "sdb1",
            "0",
        );
        add_disk(
            sys,
            "pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0",
            "sda",
            "sda2",
            "0",
        );
        add_disk(
            sys,
            "platform/sd-reader/mmc_host/mmc0/mmc0:aaaa",
            "mmcblk0",
            "mmcblk0p1",
            "1",
        );
        let mounts = "\
/dev/sda2 / ext4 rw 0 0
/dev/sda2 /mnt/data ext4 rw 0 0
server:/share /mnt/nfs nfs rw 0 0
tmpfs /run tmpfs rw 0 0
/dev/sdb1 /media/kiosk/MY\\040STICK vfat rw 0 0
/dev/mmcblk0p1 /run/media/kiosk/SD vfat rw 0 0
";
        let found = removable_media_in(mounts, sys);
        let mounts: Vec<_> = found.iter().map(|m| m.mount.to_str().unwrap()).collect();
        assert_eq!(mounts, ["/media/kiosk/MY STICK", "/run/media/kiosk/SD"]);
        assert_eq!(
            found[0].description(),
            "sdb1 · SanDisk Cruzer Blade · 15.6 GB"
        );
        assert_eq!(found[1].device, "mmcblk0p1");
    }
}

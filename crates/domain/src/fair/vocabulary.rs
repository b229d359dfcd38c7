//! The fixed vocabularies of a fair file: trades, benefits and shifts.

use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The snake_case name used in fair files and CSV.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s),+ } }
            pub fn parse(s: &str) -> Option<Self> {
                match s.trim() { $($s => Some($name::$variant),)+ _ => None }
            }
            /// Position in [`Self::ALL`], stable for the UI.
            pub fn index(self) -> usize { self as usize }
        }
    };
}

str_enum!(
    /// The trade of an opening; the UI translates each.
    Trade {
        Stamping = "stamping",
        Welding = "welding",
        Assembly = "assembly",
        InjectionMoulding = "injection_moulding",
        Cnc = "cnc",
        QualityInspection = "quality_inspection",
        Warehouse = "warehouse",
        Electrician = "electrician",
        Canteen = "canteen",
        Packaging = "packaging",
        Painting = "painting",
        Maintenance = "maintenance",
        Driver = "driver",
        Cleaning = "cleaning",
        Security = "security",
        DieCasting = "die_casting",
        Polishing = "polishing",
        Other = "other",
    }
);

str_enum!(
    /// What an employer offers besides the wage.
    Benefit {
        FreeFare = "free_fare",
        Dormitory = "dormitory",
        Meals = "meals",
        SocialInsurance = "social_insurance",
        OvertimePay = "overtime_pay",
        PaidTraining = "paid_training",
        CouplesRoom = "couples_room",
    }
);

str_enum!(
    /// Working hours pattern.
    Shift {
        Day = "day",
        TwoShifts = "two_shifts",
        ThreeShifts = "three_shifts",
        Flexible = "flexible",
    }
);

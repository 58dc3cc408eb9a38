//! What this kernel offers, found out without restricting anything.

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, Ruleset, RulesetAttr, Scope,
};

/// The newest Landlock ABI this kernel supports (and this build knows), as a
/// number: 0 when there is no Landlock at all. Creating a ruleset restricts
/// nothing, so this is safe to call anywhere.
pub fn landlock_abi() -> u8 {
    const NEWEST_FIRST: [(ABI, u8); 7] = [
        (ABI::V7, 7),
        (ABI::V6, 6),
        (ABI::V5, 5),
        (ABI::V4, 4),
        (ABI::V3, 3),
        (ABI::V2, 2),
        (ABI::V1, 1),
    ];
    NEWEST_FIRST
        .into_iter()
        .find(|&(abi, n)| ruleset(abi, n).is_ok())
        .map_or(0, |(_, n)| n)
}

/// The ABI enum for a number from [`landlock_abi`].
pub fn abi(n: u8) -> ABI {
    match n {
        0 => ABI::Unsupported,
        1 => ABI::V1,
        2 => ABI::V2,
        3 => ABI::V3,
        4 => ABI::V4,
        5 => ABI::V5,
        6 => ABI::V6,
        _ => ABI::V7,
    }
}

/// A ruleset handling everything ABI `n` can restrict, failing when the
/// kernel cannot enforce all of it.
pub fn ruleset(abi: ABI, n: u8) -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(abi))?;
    if n >= 4 {
        ruleset = ruleset.handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)?;
    }
    if n >= 6 {
        ruleset = ruleset.scope(Scope::Signal | Scope::AbstractUnixSocket)?;
    }
    ruleset.create()
}

/// Whether the kernel filters system calls with seccomp.
pub fn seccomp() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .is_ok_and(|status| status.lines().any(|l| l.starts_with("Seccomp_filters:")))
}

//! The Landlock ruleset of a policy: what may be read, executed and written.

use landlock::{
    Access, AccessFs, BitFlags, RulesetCreatedAttr, RulesetStatus, make_bitflags,
    path_beneath_rules,
};

use super::Policy;
use super::detect;

/// Files every process needs to start: the dynamic loader's cache and the
/// devices programs open without asking.
const SYSTEM_FILES: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
];

/// Restricts this process (and everything it starts) to the policy's paths,
/// with every right ABI `n` handles. Fails rather than enforcing less.
pub fn apply(policy: &Policy, n: u8) -> Result<(), String> {
    let abi = detect::abi(n);
    let read: BitFlags<AccessFs> = make_bitflags!(AccessFs::{ReadFile | ReadDir});
    let exec = read | AccessFs::Execute;
    let write = AccessFs::from_all(abi) & !AccessFs::Execute;
    let read = read & AccessFs::from_all(abi);
    let created = detect::ruleset(abi, n).map_err(|e| e.to_string())?;
    let status = created
        .add_rules(path_beneath_rules(SYSTEM_FILES, read))
        .and_then(|r| r.add_rules(path_beneath_rules(&policy.read, read)))
        .and_then(|r| r.add_rules(path_beneath_rules(&policy.exec, exec)))
        .and_then(|r| r.add_rules(path_beneath_rules(&policy.write, write)))
        .and_then(|r| {
            r.add_rules(path_beneath_rules(
                ["/dev/null", "/dev/full"],
                write & (read | AccessFs::WriteFile | AccessFs::Truncate | AccessFs::IoctlDev),
            ))
        })
        .and_then(landlock::RulesetCreated::restrict_self)
        .map_err(|e| e.to_string())?;
    if status.ruleset == RulesetStatus::FullyEnforced {
        Ok(())
    } else {
        Err(format!("Landlock was only {:?}", status.ruleset))
    }
}

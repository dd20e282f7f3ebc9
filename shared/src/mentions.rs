//! Finding `@Display Name` mentions in a message body: one rule for the
//! server (which notifies) and the app (which highlights), so they agree.
//! Only the room's members are candidates, so a mention of someone who
//! cannot see the room resolves to no one.

use crate::UserId;

/// The ids of the `candidates` (id, display name) mentioned in `body`. At
/// each `@`, the longest name that matches (case-insensitively) and ends at a
/// word boundary wins, so `@Sam Okafor` does not also mention a `Sam`.
pub fn mentioned(body: &str, candidates: &[(UserId, &str)]) -> Vec<UserId> {
    if !body.contains('@') {
        return Vec::new();
    }
    let lower = body.to_lowercase();
    let mut names: Vec<(i64, String)> = candidates
        .iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .map(|(id, name)| (*id, name.to_lowercase()))
        .collect();
    names.sort_by_key(|(_, name)| std::cmp::Reverse(name.len()));
    let mut found = Vec::new();
    for (at, _) in lower.match_indices('@') {
        let rest = &lower[at + 1..];
        let hit = names.iter().find(|(_, name)| {
            rest.starts_with(name.as_str())
                && rest[name.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        });
        if let Some((id, _)) = hit
            && !found.contains(id)
        {
            found.push(*id);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::mentioned;

    const PEOPLE: &[(i64, &str)] = &[(1, "Sam"), (2, "Sam Okafor"), (3, "Priya Shah"), (4, "Jo")];

    #[test]
    fn finds_names_case_insensitively_at_word_ends() {
        assert_eq!(mentioned("thanks @priya shah!", PEOPLE), [3]);
        assert_eq!(mentioned("@Jo, @PRIYA SHAH and @jo again", PEOPLE), [4, 3]);
        assert!(mentioned("email jo@example.org or @Joanna", PEOPLE).is_empty());
        assert!(mentioned("no mentions here", PEOPLE).is_empty());
    }

    #[test]
    fn the_longest_name_wins() {
        assert_eq!(mentioned("@Sam Okafor can you?", PEOPLE), [2]);
        assert_eq!(mentioned("@Sam can you?", PEOPLE), [1]);
    }

    #[test]
    fn people_outside_the_room_are_not_candidates() {
        assert!(mentioned("@Ruth Adeyemi please look", PEOPLE).is_empty());
    }
}

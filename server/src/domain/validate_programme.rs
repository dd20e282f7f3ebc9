//! Input rules for the programme's forms: organisations, needs, mentor
//! profiles, reasons, goals and notes. Each error names its field.

use shared::api::mentors::SaveMentorProfile;
use shared::api::organisations::{Need, SaveOrganisation};
use shared::limits::{
    CHARITY_NUMBER_MAX_CHARS, LOCALITY_MAX_CHARS, MENTOR_CAPACITY_MAX, MENTOR_LOCALITIES_MAX,
    ORG_NAME_MAX_CHARS, PROFILE_TEXT_MAX_CHARS,
};

use crate::error::{AppError, AppResult};

/// Trimmed text of at most `max` characters; `what` starts the message.
pub fn text(
    field: &'static str,
    what: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> AppResult<String> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(AppError::validation(field, format!("Enter {what}.")));
    }
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("Use at most {max} characters for {what}."),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::validation(
            field,
            format!("Remove the control characters from {what}."),
        ));
    }
    Ok(value.to_owned())
}

/// The profile, trimmed; duplicate activity types dropped.
pub fn organisation(raw: &SaveOrganisation) -> AppResult<SaveOrganisation> {
    let mut activity_types = raw.activity_types.clone();
    activity_types.sort();
    activity_types.dedup();
    let charity_number = match raw.charity_number.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(text(
            "charity_number",
            "the charity number",
            n,
            CHARITY_NUMBER_MAX_CHARS,
            false,
        )?),
    };
    Ok(SaveOrganisation {
        name: text(
            "name",
            "the organisation's name",
            &raw.name,
            ORG_NAME_MAX_CHARS,
            true,
        )?,
        description: text(
            "description",
            "the description",
            &raw.description,
            PROFILE_TEXT_MAX_CHARS,
            false,
        )?,
        activity_types,
        locality: text(
            "locality",
            "the town or area",
            &raw.locality,
            LOCALITY_MAX_CHARS,
            true,
        )?,
        populations_served: text(
            "populations_served",
            "who you work with",
            &raw.populations_served,
            PROFILE_TEXT_MAX_CHARS,
            false,
        )?,
        size: raw.size,
        charity_number,
    })
}

/// Needs, one per topic.
pub fn needs(raw: &[Need]) -> AppResult<Vec<Need>> {
    let mut out: Vec<Need> = Vec::with_capacity(raw.len());
    for need in raw {
        if out.iter().any(|n| n.topic == need.topic) {
            return Err(AppError::validation(
                "needs",
                format!("{} is listed twice; keep one.", need.topic.label()),
            ));
        }
        out.push(Need {
            topic: need.topic,
            priority: need.priority,
            description: text(
                "needs",
                "what you want help with",
                &need.description,
                PROFILE_TEXT_MAX_CHARS,
                false,
            )?,
        });
    }
    Ok(out)
}

pub fn mentor_profile(raw: &SaveMentorProfile) -> AppResult<SaveMentorProfile> {
    if raw.expertise.is_empty() {
        return Err(AppError::validation(
            "expertise",
            "Choose at least one topic you can help with.",
        ));
    }
    let mut expertise = Vec::with_capacity(raw.expertise.len());
    for e in &raw.expertise {
        if expertise
            .iter()
            .any(|x: &shared::api::mentors::Expertise| x.topic == e.topic)
        {
            return Err(AppError::validation(
                "expertise",
                format!("{} is listed twice; keep one.", e.topic.label()),
            ));
        }
        expertise.push(e.clone());
    }
    if !(1..=MENTOR_CAPACITY_MAX).contains(&raw.capacity) {
        return Err(AppError::validation(
            "capacity",
            format!("Choose between 1 and {MENTOR_CAPACITY_MAX} organisations at once."),
        ));
    }
    if !raw.remote && !raw.in_person {
        return Err(AppError::validation(
            "remote",
            "Say whether you can mentor remotely, in person, or both.",
        ));
    }
    let mut localities: Vec<String> = Vec::new();
    for l in &raw.localities {
        let l = text("localities", "a locality", l, LOCALITY_MAX_CHARS, false)?;
        if !l.is_empty() && !localities.iter().any(|x| x.eq_ignore_ascii_case(&l)) {
            localities.push(l);
        }
    }
    if localities.len() > MENTOR_LOCALITIES_MAX {
        return Err(AppError::validation(
            "localities",
            format!("List at most {MENTOR_LOCALITIES_MAX} localities."),
        ));
    }
    if raw.in_person && localities.is_empty() {
        return Err(AppError::validation(
            "localities",
            "Name at least one town or area where you can meet in person.",
        ));
    }
    let mut activity_types = raw.activity_types.clone();
    activity_types.sort();
    activity_types.dedup();
    Ok(SaveMentorProfile {
        bio: text("bio", "your bio", &raw.bio, PROFILE_TEXT_MAX_CHARS, false)?,
        expertise,
        activity_types,
        localities,
        remote: raw.remote,
        in_person: raw.in_person,
        capacity: raw.capacity,
        lived_experience: raw.lived_experience,
    })
}

#[cfg(test)]
mod tests {
    use shared::api::mentors::Expertise;
    use shared::taxonomy::{Depth, OrganisationSize, Priority, Topic};

    use super::*;

    fn org() -> SaveOrganisation {
        SaveOrganisation {
            name: "  Harbour Arts ".into(),
            description: String::new(),
            activity_types: vec![],
            locality: "Plymouth".into(),
            populations_served: String::new(),
            size: OrganisationSize::Small,
            charity_number: Some("  ".into()),
        }
    }

    #[test]
    fn organisations_are_trimmed_and_need_a_name_and_place() {
        let ok = organisation(&org()).expect("valid");
        assert_eq!(ok.name, "Harbour Arts");
        assert_eq!(ok.charity_number, None);
        let no_name = SaveOrganisation {
            name: " ".into(),
            ..org()
        };
        assert!(matches!(
            organisation(&no_name),
            Err(AppError::Validation { field: "name", .. })
        ));
        let no_place = SaveOrganisation {
            locality: String::new(),
            ..org()
        };
        assert!(matches!(
            organisation(&no_place),
            Err(AppError::Validation {
                field: "locality",
                ..
            })
        ));
    }

    #[test]
    fn needs_are_one_per_topic() {
        let need = Need {
            topic: Topic::Safeguarding,
            priority: Priority::High,
            description: String::new(),
        };
        assert!(needs(&[need.clone(), need]).is_err());
    }

    #[test]
    fn mentor_profiles_need_a_topic_a_way_to_meet_and_a_sane_capacity() {
        let good = SaveMentorProfile {
            bio: String::new(),
            expertise: vec![Expertise {
                topic: Topic::Safeguarding,
                depth: Depth::Expert,
            }],
            activity_types: vec![],
            localities: vec!["Bristol".into(), "bristol".into()],
            remote: false,
            in_person: true,
            capacity: 2,
            lived_experience: false,
        };
        assert_eq!(
            mentor_profile(&good).expect("valid").localities,
            ["Bristol"]
        );
        for bad in [
            SaveMentorProfile {
                expertise: vec![],
                ..good.clone()
            },
            SaveMentorProfile {
                capacity: 0,
                ..good.clone()
            },
            SaveMentorProfile {
                capacity: 11,
                ..good.clone()
            },
            SaveMentorProfile {
                in_person: false,
                ..good.clone()
            },
            SaveMentorProfile {
                localities: vec![],
                ..good.clone()
            },
        ] {
            assert!(mentor_profile(&bad).is_err(), "{bad:?}");
        }
    }
}

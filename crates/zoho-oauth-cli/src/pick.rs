//! Which saved connection a name on the command line means: the one named so (case
//! does not matter), else the only one whose name starts that way.

use zoho_oauth_core::vault::ConnectionSummary;

use crate::failure::{Code, Failure};

/// The connection `wanted` names among `all`.
///
/// # Errors
/// None or several match: the failure lists the names to choose from.
pub fn pick(all: &[ConnectionSummary], wanted: &str) -> Result<ConnectionSummary, Failure> {
    let wanted_lower = wanted.trim().to_lowercase();
    if let Some(exact) = all
        .iter()
        .find(|c| c.name.to_lowercase() == wanted_lower || c.id.as_str() == wanted.trim())
    {
        return Ok(exact.clone());
    }
    let matches: Vec<&ConnectionSummary> = all
        .iter()
        .filter(|c| c.name.to_lowercase().starts_with(&wanted_lower))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Failure::new(
            Code::NotFound,
            format!("No saved connection is named \"{wanted}\"."),
            if all.is_empty() {
                "Nothing is saved yet: save a connection with the Zoho OAuth Assistant first."
                    .to_owned()
            } else {
                format!("The saved connections are: {}.", names(all.iter()))
            },
        )),
        several => Err(Failure::new(
            Code::NotFound,
            format!(
                "\"{wanted}\" fits {} saved connections: {}.",
                several.len(),
                names(several.iter().copied())
            ),
            "Give more of the name (in quotes if it has spaces).",
        )),
    }
}

fn names<'a>(all: impl Iterator<Item = &'a ConnectionSummary>) -> String {
    all.map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::OffsetDateTime;
    use zoho_oauth_core::vault::ConnectionId;
    use zoho_oauth_core::{ClientType, DataCenter, ZohoEnv};

    fn named(name: &str) -> ConnectionSummary {
        ConnectionSummary {
            id: ConnectionId::from(format!("id-{name}")),
            name: name.into(),
            environment: ZohoEnv::Production,
            data_center: DataCenter::Us,
            product: "Zoho Books".into(),
            scopes: vec![],
            client_type: ClientType::SelfClient,
            client_id: "1000.X".into(),
            zoho_user: None,
            api_domain: "https://www.zohoapis.com".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            last_refreshed_at: None,
            access_token_expires_at: None,
            last_test: None,
            organization: None,
            refresh_problem: None,
            token_source: zoho_oauth_core::vault::TokenSource::RefreshToken,
            payments_account_id: None,
        }
    }

    #[test]
    fn a_name_an_unique_start_or_an_ambiguous_one() {
        let all = [
            named("Riverside - Books"),
            named("Riverside - CRM"),
            named("Harbour"),
        ];
        assert_eq!(pick(&all, "harb").unwrap().name, "Harbour");
        assert_eq!(
            pick(&all, "riverside - crm").unwrap().name,
            "Riverside - CRM"
        );
        let several = pick(&all, "River").unwrap_err();
        assert_eq!(several.code, Code::NotFound);
        assert!(
            several
                .message
                .contains("\"Riverside - Books\", \"Riverside - CRM\""),
            "{}",
            several.message
        );
        let none = pick(&all, "Books").unwrap_err();
        assert!(none.hint.contains("\"Harbour\""), "{}", none.hint);
    }
}

//! Organizations, the same shape for every product, and the rule that the user always
//! chooses one: an account may hold several companies, and writing to the wrong one is
//! the costliest mistake an accounting integration can make.
//!
//! Zoho names the fields differently per product (Books' `organization_id` and
//! `currency_code`, CRM's `id`, `company_name` and `primary_email`, code 6024's
//! `error_info` with only id and name); they are read here into one [`Organization`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire;

/// One organization (company) of a Zoho product, whatever product listed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// The id other calls take (`organization_id` for the Books family, CRM's org id).
    pub id: String,
    /// The organization's name.
    pub name: String,
    /// Whether Zoho marks it as the account's default organization. Only a mark to show:
    /// it is never chosen for the user.
    pub is_default: bool,
    /// The base currency, e.g. `EUR`, when Zoho said.
    pub currency: Option<String>,
    /// The organization's e-mail address, when Zoho said.
    pub email: Option<String>,
    /// The contact person's name, when Zoho said.
    pub contact_name: Option<String>,
    /// The time zone, e.g. `Europe/Paris`, when Zoho said.
    pub time_zone: Option<String>,
}

/// What the user has to do about organizations after a connection test.
///
/// No variant carries a chosen organization: even a single one is only offered, for the
/// user to confirm, because the app cannot know that it is the company they meant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrganizationChoice {
    /// The product has no organizations call; nothing to choose.
    NotListed,
    /// Zoho lists none: the user has to create an organization in the product first.
    NoneYet,
    /// Exactly one: offered for the user to confirm.
    One {
        /// The organization.
        organization: Organization,
    },
    /// Several: the user must choose one; Zoho's default is marked `is_default`.
    Several {
        /// The organizations, in Zoho's order.
        organizations: Vec<Organization>,
    },
}

impl OrganizationChoice {
    /// The choice a list of organizations leaves the user.
    pub fn from_list(mut organizations: Vec<Organization>) -> OrganizationChoice {
        match organizations.len() {
            0 => OrganizationChoice::NoneYet,
            1 => OrganizationChoice::One {
                organization: organizations.remove(0),
            },
            _ => OrganizationChoice::Several { organizations },
        }
    }

    /// The organizations on offer, in Zoho's order (empty when none).
    pub fn organizations(&self) -> &[Organization] {
        match self {
            OrganizationChoice::NotListed | OrganizationChoice::NoneYet => &[],
            OrganizationChoice::One { organization } => std::slice::from_ref(organization),
            OrganizationChoice::Several { organizations } => organizations,
        }
    }
}

/// What an organization-scoped read ([`super::ApiClient::check_organization`]) showed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrganizationCheck {
    /// Zoho answered: for the organization named, or, when none was named, for the
    /// account's only organization.
    Answered,
    /// The account has several organizations and none was named, so Zoho answered with
    /// the list (code 6024): the user must choose one.
    ChooseOrganization {
        /// The organizations Zoho listed (id and name; `is_default` is not in that
        /// answer, so it is `false` for all).
        organizations: Vec<Organization>,
    },
}

/// An organization as the Books family lists it.
#[derive(Deserialize)]
struct BooksFamilyOrganization {
    #[serde(default, deserialize_with = "wire::text")]
    organization_id: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    contact_name: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "wire::flag")]
    is_default_org: bool,
    #[serde(default, deserialize_with = "wire::text")]
    currency_code: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    time_zone: Option<String>,
}

/// The success answer of a Books-family organizations call.
#[derive(Deserialize)]
pub(super) struct BooksFamilyList {
    #[serde(default)]
    pub code: Value,
    #[serde(default)]
    organizations: Option<Vec<BooksFamilyOrganization>>,
}

impl BooksFamilyList {
    /// The organizations, or `None` when the list is missing or an entry has no id (an
    /// organization the user cannot be offered).
    pub fn organizations(self) -> Option<Vec<Organization>> {
        self.organizations?
            .into_iter()
            .map(|org| {
                let id = org.organization_id?;
                Some(Organization {
                    name: org.name.unwrap_or_else(|| id.clone()),
                    id,
                    is_default: org.is_default_org,
                    currency: org.currency_code,
                    email: org.email,
                    contact_name: org.contact_name,
                    time_zone: org.time_zone,
                })
            })
            .collect()
    }
}

/// An organization as CRM's `GET /crm/v8/org` describes it.
#[derive(Deserialize)]
struct CrmOrganization {
    #[serde(default, deserialize_with = "wire::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    company_name: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    primary_email: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    iso_code: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    time_zone: Option<String>,
    #[serde(default, deserialize_with = "wire::text")]
    primary_contact: Option<String>,
}

/// CRM's success answer: `{"org": [ ... ]}`.
#[derive(Deserialize)]
pub(super) struct CrmOrgList {
    #[serde(default)]
    org: Option<Vec<CrmOrganization>>,
}

impl CrmOrgList {
    /// The organization the token belongs to (CRM lists exactly one), marked as the
    /// default since it is the only one this token can act in.
    pub fn organizations(self) -> Option<Vec<Organization>> {
        self.org?
            .into_iter()
            .map(|org| {
                let id = org.id?;
                Some(Organization {
                    name: org.company_name.unwrap_or_else(|| id.clone()),
                    id,
                    is_default: true,
                    currency: org.iso_code.or(org.currency),
                    email: org.primary_email,
                    contact_name: org.primary_contact,
                    time_zone: org.time_zone,
                })
            })
            .collect()
    }
}

/// Code 6024's `error_info`: `[{"organization_id", "name"}, ...]`. `None` unless it is
/// a non-empty list whose every entry has an id.
pub(super) fn from_error_info(error_info: &Value) -> Option<Vec<Organization>> {
    let entries = error_info.as_array().filter(|list| !list.is_empty())?;
    entries
        .iter()
        .map(|entry| {
            let id = wire::text_of(entry.get("organization_id")?)?;
            let name = entry
                .get("name")
                .and_then(wire::text_of)
                .unwrap_or_else(|| id.clone());
            Some(Organization {
                id,
                name,
                is_default: false,
                currency: None,
                email: None,
                contact_name: None,
                time_zone: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn org(id: &str, is_default: bool) -> Organization {
        Organization {
            id: id.into(),
            name: format!("Org {id}"),
            is_default,
            currency: None,
            email: None,
            contact_name: None,
            time_zone: None,
        }
    }

    #[test]
    fn books_organizations_read_from_the_documented_shape() {
        let body = json!({
            "code": 0,
            "message": "success",
            "organizations": [{
                "organization_id": "10234695",
                "name": "Zillium Inc",
                "contact_name": "John Smith",
                "email": "johnsmith@zilliuminc.com",
                "is_default_org": false,
                "currency_code": "USD",
                "plan_name": "Standard"
            }, {
                "organization_id": 20234695,
                "name": "Second Co",
                "is_default_org": true
            }]
        });
        let list: BooksFamilyList = serde_json::from_value(body).unwrap();
        let orgs = list.organizations().unwrap();
        assert_eq!(orgs[0].id, "10234695");
        assert_eq!(orgs[0].name, "Zillium Inc");
        assert_eq!(orgs[0].currency.as_deref(), Some("USD"));
        assert_eq!(orgs[0].email.as_deref(), Some("johnsmith@zilliuminc.com"));
        assert_eq!(orgs[0].contact_name.as_deref(), Some("John Smith"));
        assert!(!orgs[0].is_default);
        assert_eq!(orgs[1].id, "20234695");
        assert!(orgs[1].is_default);
        assert_eq!(orgs[1].currency, None);
    }

    #[test]
    fn an_organization_without_an_id_spoils_the_list() {
        let body = json!({"code": 0, "organizations": [{"name": "No id"}]});
        let list: BooksFamilyList = serde_json::from_value(body).unwrap();
        assert_eq!(list.organizations(), None);
        let body = json!({"code": 0});
        let list: BooksFamilyList = serde_json::from_value(body).unwrap();
        assert_eq!(list.organizations(), None);
    }

    #[test]
    fn the_crm_org_reads_into_the_same_shape() {
        let body = json!({"org": [{
            "id": "4150868000000225013",
            "company_name": "Zylker",
            "primary_email": "admin@zylker.example",
            "currency": "EUR",
            "time_zone": "Europe/Paris",
            "country": "France"
        }]});
        let list: CrmOrgList = serde_json::from_value(body).unwrap();
        let orgs = list.organizations().unwrap();
        assert_eq!(orgs.len(), 1);
        assert_eq!(orgs[0].id, "4150868000000225013");
        assert_eq!(orgs[0].name, "Zylker");
        assert_eq!(orgs[0].email.as_deref(), Some("admin@zylker.example"));
        assert_eq!(orgs[0].currency.as_deref(), Some("EUR"));
        assert_eq!(orgs[0].time_zone.as_deref(), Some("Europe/Paris"));
        assert!(orgs[0].is_default);
    }

    #[test]
    fn code_6024_lists_the_organizations_to_choose_from() {
        let info = json!([
            {"organization_id": "10234695", "name": "Morgan Bookkeeping LLC"},
            {"organization_id": 10234696, "name": "Riverside Bakery Inc."}
        ]);
        let orgs = from_error_info(&info).unwrap();
        assert_eq!(
            orgs.iter()
                .map(|o| (o.id.as_str(), o.name.as_str()))
                .collect::<Vec<_>>(),
            [
                ("10234695", "Morgan Bookkeeping LLC"),
                ("10234696", "Riverside Bakery Inc.")
            ]
        );
        assert!(orgs.iter().all(|o| !o.is_default));
        assert_eq!(from_error_info(&json!([])), None);
        assert_eq!(from_error_info(&json!(null)), None);
        assert_eq!(from_error_info(&json!([{"name": "no id"}])), None);
    }

    #[test]
    fn one_organization_is_offered_and_several_are_left_to_choose() {
        assert_eq!(
            OrganizationChoice::from_list(vec![]),
            OrganizationChoice::NoneYet
        );
        let one = OrganizationChoice::from_list(vec![org("1", false)]);
        assert_eq!(
            one,
            OrganizationChoice::One {
                organization: org("1", false)
            }
        );
        assert_eq!(one.organizations().len(), 1);
        let several = OrganizationChoice::from_list(vec![org("1", false), org("2", true)]);
        match &several {
            OrganizationChoice::Several { organizations } => {
                assert_eq!(organizations.len(), 2);
                assert!(organizations[1].is_default);
            }
            other => panic!("{other:?}"),
        }
        let json = serde_json::to_value(&several).unwrap();
        assert_eq!(json["kind"], "several");
        assert_eq!(json["organizations"][1]["is_default"], true);
        assert_eq!(OrganizationChoice::NotListed.organizations(), &[]);
    }
}

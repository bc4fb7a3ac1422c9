//! Judges the query of a request on the callback path: does it belong to this sign-in,
//! and what did Zoho say?
//!
//! Only a request carrying this flow's `state` may end the flow. Anything else (a forged
//! link, an `<img>` on some web page, a stale tab) is refused and the listener keeps
//! waiting, because otherwise any page the person has open could end the sign-in and
//! make the real redirect that follows be refused. A query that could be read two ways
//! (a parameter given twice, a `location` that names another data center than
//! `accounts-server`) is refused the same way: the listener does not guess.

use subtle::ConstantTimeEq;

use crate::authorize::ConsentState;
use crate::datacenter::{DataCenter, ZohoEnv};
use crate::error::{host_for_message, safe_code, Error, Result};
use crate::secret::GrantCode;

use super::AuthorizationCallback;

/// What to do with a request on the callback path.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// It belongs to this flow: end the flow with this.
    Finish(Result<AuthorizationCallback>),
    /// It belongs to this flow, a scope enhancement: Zoho added the scopes (or not).
    ScopesAdded(Result<()>),
    /// No `state`, or another one: not this sign-in's answer.
    WrongState,
    /// Ambiguous or self-contradicting; the reason is for the debug log.
    Malformed(&'static str),
}

/// What the judge compares a redirect with.
#[derive(Debug)]
pub(crate) struct Expected {
    pub(crate) state: ConsentState,
    pub(crate) env: ZohoEnv,
    pub(crate) consent_dc: DataCenter,
}

/// The parameters of a redirect this listener reads, each at most once.
#[derive(Default)]
struct Params {
    state: Option<String>,
    code: Option<String>,
    location: Option<String>,
    accounts_server: Option<String>,
    error: Option<String>,
    status: Option<String>,
}

impl Params {
    fn parse(query: &str) -> std::result::Result<Self, &'static str> {
        let mut params = Params::default();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let (slot, name) = match key.as_ref() {
                "state" => (&mut params.state, "state"),
                "code" => (&mut params.code, "code"),
                "location" => (&mut params.location, "location"),
                "accounts-server" => (&mut params.accounts_server, "accounts-server"),
                "error" => (&mut params.error, "error"),
                "status" => (&mut params.status, "status"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(repeated(name));
            }
            *slot = Some(value.into_owned());
        }
        Ok(params)
    }
}

fn repeated(name: &str) -> &'static str {
    match name {
        "state" => "state given more than once",
        "code" => "code given more than once",
        "location" => "location given more than once",
        "accounts-server" => "accounts-server given more than once",
        "status" => "status given more than once",
        _ => "error given more than once",
    }
}

impl Expected {
    fn state_matches(&self, received: Option<&str>) -> bool {
        let expected = self.state.expose().as_bytes();
        received.is_some_and(|r| bool::from(r.as_bytes().ct_eq(expected)))
    }

    /// Turns the redirect's query into a verdict.
    pub(crate) fn judge(&self, query: &str) -> Verdict {
        let params = match Params::parse(query) {
            Ok(params) => params,
            Err(reason) => return Verdict::Malformed(reason),
        };
        // Checked first: without the right state, even "access_denied" is not believed.
        if !self.state_matches(params.state.as_deref()) {
            return Verdict::WrongState;
        }
        if let Some(error) = params.error {
            return Verdict::Finish(Err(match error.as_str() {
                "access_denied" => Error::AccessDenied,
                "unauthorized_user" => Error::NotPaymentsAdmin,
                other => Error::Unexpected {
                    code: safe_code(other),
                },
            }));
        }
        let Some(code) = params.code.filter(|c| !c.is_empty()).map(GrantCode::new) else {
            return Verdict::Finish(Err(Error::MissingCode));
        };
        let location_dc = params
            .location
            .as_deref()
            .and_then(DataCenter::from_location);
        let account_dc = match params.accounts_server {
            Some(server) => match self.env.dc_for_accounts_server(&server) {
                Some(dc) => dc,
                None => {
                    return Verdict::Finish(Err(Error::UntrustedHost {
                        host: host_for_message(&server),
                    }))
                }
            },
            None => location_dc.unwrap_or(self.consent_dc),
        };
        if location_dc.is_some_and(|dc| dc != account_dc) {
            return Verdict::Malformed("location and accounts-server name different DCs");
        }
        Verdict::Finish(Ok(AuthorizationCallback { code, account_dc }))
    }

    /// Judges the redirect back from `addextrascope`, which carries no code: success is
    /// `status=success`, a refusal `error=...`; `state` is checked first, as for a code.
    pub(crate) fn judge_scopes_added(&self, query: &str) -> Verdict {
        let params = match Params::parse(query) {
            Ok(params) => params,
            Err(reason) => return Verdict::Malformed(reason),
        };
        if !self.state_matches(params.state.as_deref()) {
            return Verdict::WrongState;
        }
        if let Some(error) = params.error {
            return Verdict::ScopesAdded(Err(match error.as_str() {
                "access_denied" => Error::AccessDenied,
                other => Error::Unexpected {
                    code: safe_code(other),
                },
            }));
        }
        match params.status.as_deref() {
            Some(status) if status.eq_ignore_ascii_case("success") => Verdict::ScopesAdded(Ok(())),
            Some(other) => Verdict::ScopesAdded(Err(Error::Unexpected {
                code: safe_code(other),
            })),
            None => Verdict::ScopesAdded(Err(Error::Unexpected {
                code: "no status".to_owned(),
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authorize::{PendingConsent, RedirectUri};
    use crate::client::{ClientCredentials, ClientType};
    use crate::secret::ClientSecret;

    fn expected(env: &ZohoEnv) -> Expected {
        let pending = PendingConsent::start(
            env,
            DataCenter::Us,
            ClientCredentials {
                client_type: ClientType::ServerBased,
                client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
                client_secret: ClientSecret::new("0123456789abcdef0123456789abcdef01234567ab"),
            },
            &["ZohoBooks.settings.READ"],
            RedirectUri::on_port(28739).unwrap(),
        )
        .unwrap();
        Expected {
            state: pending.state().clone(),
            env: env.clone(),
            consent_dc: pending.consent_dc(),
        }
    }

    fn query(pairs: &[(&str, &str)]) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    #[test]
    fn a_scope_enhancement_ends_on_success_or_a_refusal_with_its_state_only() {
        let judge = expected(&ZohoEnv::Production);
        let state = judge.state.expose().to_owned();
        let added = |pairs: &[(&str, &str)]| match judge.judge_scopes_added(&query(pairs)) {
            Verdict::ScopesAdded(result) => Some(result),
            _ => None,
        };
        assert!(matches!(
            added(&[("status", "success"), ("state", &state)]),
            Some(Ok(()))
        ));
        assert!(matches!(
            added(&[("error", "access_denied"), ("state", &state)]),
            Some(Err(Error::AccessDenied))
        ));
        assert!(matches!(
            added(&[("state", &state)]),
            Some(Err(Error::Unexpected { .. }))
        ));
        assert!(added(&[("status", "success"), ("state", "forged")]).is_none());
        assert!(added(&[("status", "success")]).is_none());
        assert!(matches!(
            judge.judge_scopes_added(&query(&[
                ("status", "success"),
                ("status", "success"),
                ("state", &state)
            ])),
            Verdict::Malformed(_)
        ));
    }

    fn finished(verdict: Verdict) -> Result<AuthorizationCallback> {
        match verdict {
            Verdict::Finish(result) => result,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_good_redirect_names_the_accounts_dc() {
        let judge = expected(&ZohoEnv::Production);
        let state = judge.state.expose().to_owned();
        let callback = finished(judge.judge(&query(&[
            ("state", &state),
            ("code", "1000.abc.def"),
            ("location", "eu"),
            ("accounts-server", "https://accounts.zoho.eu"),
        ])))
        .unwrap();
        assert_eq!(callback.account_dc, DataCenter::Eu);
        assert_eq!(callback.code.expose(), "1000.abc.def");

        // Without accounts-server, `location` decides; without either, the consent DC.
        let by_location = finished(judge.judge(&query(&[
            ("state", &state),
            ("code", "c"),
            ("location", "in"),
        ])))
        .unwrap();
        assert_eq!(by_location.account_dc, DataCenter::In);
        let fallback = finished(judge.judge(&query(&[("state", &state), ("code", "c")]))).unwrap();
        assert_eq!(fallback.account_dc, DataCenter::Us);
        // A location this release does not know yet does not contradict anything.
        let unknown = finished(judge.judge(&query(&[
            ("state", &state),
            ("code", "c"),
            ("location", "mars"),
            ("accounts-server", "https://accounts.zoho.eu"),
        ])))
        .unwrap();
        assert_eq!(unknown.account_dc, DataCenter::Eu);
    }

    #[test]
    fn without_this_flows_state_nothing_is_believed() {
        let judge = expected(&ZohoEnv::Production);
        let state = judge.state.expose().to_owned();
        let wrong_state = format!("{}x", &state[..state.len() - 1]);
        for q in [
            query(&[("code", "c")]),
            query(&[("state", &wrong_state), ("code", "c")]),
            query(&[("state", ""), ("code", "c")]),
            query(&[("state", "short"), ("error", "access_denied")]),
        ] {
            assert!(matches!(judge.judge(&q), Verdict::WrongState), "{q}");
        }
    }

    #[test]
    fn what_could_be_read_two_ways_is_malformed() {
        let judge = expected(&ZohoEnv::Production);
        let state = judge.state.expose().to_owned();
        for q in [
            query(&[("state", &state), ("state", &state), ("code", "c")]),
            query(&[("state", "x"), ("state", &state), ("code", "c")]),
            query(&[("state", &state), ("code", "c"), ("code", "d")]),
            query(&[
                ("state", &state),
                ("code", "c"),
                ("error", "a"),
                ("error", "b"),
            ]),
            query(&[
                ("state", &state),
                ("code", "c"),
                ("location", "us"),
                ("accounts-server", "https://accounts.zoho.eu"),
            ]),
        ] {
            assert!(matches!(judge.judge(&q), Verdict::Malformed(_)), "{q}");
        }
    }

    #[test]
    fn zohos_answers_end_the_flow_with_the_right_error() {
        let judge = expected(&ZohoEnv::Production);
        let state = judge.state.expose().to_owned();
        let spoofed = judge.judge(&query(&[
            ("state", &state),
            ("code", "c"),
            (
                "accounts-server",
                "https://accounts.zoho.eu.evil.example/path?x=1",
            ),
        ]));
        match finished(spoofed) {
            Err(Error::UntrustedHost { host }) => assert_eq!(host, "accounts.zoho.eu.evil.example"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            finished(judge.judge(&query(&[("state", &state), ("error", "access_denied")]))),
            Err(Error::AccessDenied)
        ));
        assert!(matches!(
            finished(judge.judge(&query(&[("state", &state), ("code", "")]))),
            Err(Error::MissingCode)
        ));
        match finished(judge.judge(&query(&[("state", &state), ("error", "1000.secret.value")]))) {
            Err(Error::Unexpected { code }) => assert!(!code.contains("secret")),
            other => panic!("{other:?}"),
        }
    }
}

/// Property tests: `PROPTEST_CASES` sets how many cases each runs (see the README).
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;
    use crate::authorize::{PendingConsent, RedirectUri};
    use crate::client::{ClientCredentials, ClientType};
    use crate::secret::ClientSecret;

    fn expected() -> Expected {
        let env = ZohoEnv::Production;
        let pending = PendingConsent::start(
            &env,
            DataCenter::Us,
            ClientCredentials {
                client_type: ClientType::ServerBased,
                client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123".into(),
                client_secret: ClientSecret::new("0123456789abcdef0123456789abcdef01234567ab"),
            },
            &["ZohoBooks.settings.READ"],
            RedirectUri::on_port(28739).unwrap(),
        )
        .unwrap();
        Expected {
            state: pending.state().clone(),
            env,
            consent_dc: pending.consent_dc(),
        }
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("state".to_owned()),
            Just("code".to_owned()),
            Just("location".to_owned()),
            Just("accounts-server".to_owned()),
            Just("error".to_owned()),
            ".{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn no_query_makes_the_judge_panic(query in ".{0,300}") {
            let _ = expected().judge(&query);
        }

        #[test]
        fn without_the_state_nothing_finishes(
            pairs in proptest::collection::vec((key(), ".{0,40}"), 0..8),
        ) {
            let judge = expected();
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish();
            // Random values never guess a 43-character random state.
            prop_assert!(!matches!(judge.judge(&query), Verdict::Finish(_)));
        }

        #[test]
        fn the_real_redirect_gives_back_its_code(
            code in "[!-~]{1,120}",
            dc in proptest::sample::select(DataCenter::ALL.to_vec()),
            extra in proptest::collection::vec(("x-[a-z]{1,8}", ".{0,20}"), 0..4),
        ) {
            let judge = expected();
            let server = judge.env.endpoints(dc).accounts.clone();
            let mut pairs = vec![
                ("state".to_owned(), judge.state.expose().to_owned()),
                ("code".to_owned(), code.clone()),
                ("location".to_owned(), dc.location().to_owned()),
                ("accounts-server".to_owned(), server),
            ];
            pairs.extend(extra);
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish();
            match judge.judge(&query) {
                Verdict::Finish(Ok(callback)) => {
                    prop_assert_eq!(callback.code.expose(), code.as_str());
                    prop_assert_eq!(callback.account_dc, dc);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}

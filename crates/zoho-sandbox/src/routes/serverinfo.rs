//! `GET /oauth/serverinfo`: every data center's accounts server, as Zoho lists them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::{json_response, DcState};
use crate::dc::Dc;
use crate::state::Shared;

#[derive(Serialize)]
struct ServerInfo<'a> {
    result: &'static str,
    locations: Locations<'a>,
}

/// The locations in Zoho's order rather than sorted.
struct Locations<'a>(&'a Shared);

impl Serialize for Locations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Dc::ALL.len()))?;
        for dc in Dc::ALL {
            map.serialize_entry(dc.location(), &self.0.accounts_url(dc))?;
        }
        map.end()
    }
}

pub(crate) async fn serverinfo(State(state): State<DcState>) -> Response {
    json_response(
        StatusCode::OK,
        &ServerInfo {
            result: "success",
            locations: Locations(&state.shared),
        },
    )
}

//! The geography's names as string views, made once per read and shared by the columns of
//! every file, so that placing a row costs one lookup and four 16-byte copies.

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::PlHashMap;
use polars_arrow::array::View;
use polars_buffer::Buffer;

use super::views::SharedText;
use crate::geography::{Geography, LsoaPlace};

/// An LSOA's place, with the views of its names (`None` where the lookup has no value).
#[derive(Clone, Copy)]
pub(crate) struct Place<'g> {
    pub place: &'g LsoaPlace,
    pub local_authority_code: Option<View>,
    pub local_authority_name: Option<View>,
    pub csp_code: Option<View>,
    pub csp_name: Option<View>,
}

/// Every LSOA of a [`Geography`] by its code, and the buffer its names' views point into.
pub(crate) struct Places<'g> {
    by_code: PlHashMap<&'g str, Place<'g>>,
    pub text: Buffer<u8>,
}

impl<'g> Places<'g> {
    pub fn new(geography: &'g Geography) -> Self {
        let mut text = SharedText::default();
        // The lookup shares one `Arc<str>` per distinct name, so names are stored once each.
        let mut stored: HashMap<*const u8, Option<View>> = HashMap::new();
        let mut view = |name: &Arc<str>| {
            *stored
                .entry(name.as_ptr())
                .or_insert_with(|| (!name.is_empty()).then(|| text.view(name)))
        };
        let by_code = geography
            .places()
            .map(|(code, place)| {
                let views = Place {
                    place,
                    local_authority_code: view(&place.local_authority_code),
                    local_authority_name: view(&place.local_authority_name),
                    csp_code: view(&place.csp_code),
                    csp_name: view(&place.csp_name),
                };
                (code, views)
            })
            .collect();
        Places {
            by_code,
            text: text.freeze(),
        }
    }

    #[inline]
    pub fn get(&self, lsoa_code: &str) -> Option<&Place<'g>> {
        self.by_code.get(lsoa_code)
    }
}

//! The recipient form parser on arbitrary JSON: it never panics, and whatever it accepts
//! round-trips through `to_input` to the same profile.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::{
    recipient::{RecipientContext, RecipientInput},
    service_type::ServiceType,
};
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<RecipientInput>(data) else {
        return;
    };
    let ctx = RecipientContext {
        today: date!(2026 - 12 - 01),
        service_types: vec![ServiceType::TypeBOffice, ServiceType::LifeCare],
        creating: true,
    };
    if let Ok(profile) = input.parse(&ctx) {
        let again = profile.to_input();
        assert_eq!(again.parse(&ctx).as_ref(), Ok(&profile));
    }
});

//! The CSV importer on arbitrary bytes (any encoding, any structure): it never panics, never
//! accepts more than the row limit, and every row it accepts is a profile the wizard's parser
//! accepts again unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::{
    recipient::{
        RecipientContext,
        csv::{ImportContext, MAX_ROWS, parse_file},
    },
    service_type::ServiceType,
};
use std::collections::HashMap;
use time::macros::date;
use uuid::Uuid;

fuzz_target!(|data: &[u8]| {
    let ctx = ImportContext {
        recipient: RecipientContext {
            today: date!(2026 - 12 - 01),
            service_types: vec![ServiceType::LifeCare],
            creating: true,
        },
        staff_emails: HashMap::from([("staff@example.jp".to_owned(), Uuid::nil())]),
    };
    if let Ok(file) = parse_file(data, &ctx) {
        assert!(file.rows.len() <= MAX_ROWS);
        for row in &file.rows {
            let again = row.profile.to_input();
            assert_eq!(again.parse(&ctx.recipient).as_ref(), Ok(&row.profile));
        }
    }
});

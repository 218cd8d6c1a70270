//! What the recipient server functions answer with, and the list query (SPEC §4.4).

use super::{RecipientInput, RecipientStatus};
use crate::{service_type::ServiceType, text::to_hiragana};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PAGE_SIZE: u32 = 20;
pub const MAX_QUERY_CHARS: usize = 100;

/// The list filters as the browser sends them (query string); every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecipientQuery {
    /// Words of 氏名 or ふりがな (half/full-width spaces split; every word must match).
    pub q: String,
    /// `active` (default), `archived`, `deleted` (managers and owners) or `all`.
    pub status: String,
    pub service_type: String,
    /// A staff id: recipients this staff member is assigned to.
    pub staff: String,
    /// Only imported rows still missing wizard fields.
    pub incomplete: bool,
    /// `kana` (default), `age`, `created`, `end_date`.
    pub sort: String,
    /// `asc` (default) or `desc`.
    pub dir: String,
    pub page: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusFilter {
    Only(RecipientStatus),
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    Kana,
    Age,
    Created,
    EndDate,
}

/// A valid list query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Search words, normalised like the stored search text.
    pub words: Vec<String>,
    pub status: StatusFilter,
    pub service_type: Option<ServiceType>,
    pub staff: Option<Uuid>,
    pub incomplete: bool,
    pub sort: SortKey,
    pub descending: bool,
    pub page: u32,
}

impl RecipientQuery {
    /// Unknown values fall back to the defaults (a list never fails for a bad link), except a
    /// search longer than 100 characters.
    pub fn parse(&self) -> Result<ListQuery, &'static str> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err("検索語は100文字以内で入力してください");
        }
        let words = self
            .q
            .split([' ', '\u{3000}'])
            .map(search_key)
            .filter(|w| !w.is_empty())
            .collect();
        let status = match self.status.as_str() {
            "all" => StatusFilter::All,
            other => {
                StatusFilter::Only(RecipientStatus::parse(other).unwrap_or(RecipientStatus::Active))
            }
        };
        let sort = match self.sort.as_str() {
            "age" => SortKey::Age,
            "created" => SortKey::Created,
            "end_date" => SortKey::EndDate,
            _ => SortKey::Kana,
        };
        Ok(ListQuery {
            words,
            status,
            service_type: ServiceType::from_code(&self.service_type),
            staff: Uuid::parse_str(&self.staff).ok(),
            incomplete: self.incomplete,
            sort,
            descending: self.dir == "desc",
            page: self.page.max(1),
        })
    }
}

/// What searches compare: lower-case, katakana as hiragana, NFKC-free of spaces. The stored
/// `search_text` of a recipient is the key of `姓名せいめい`.
pub fn search_key(text: &str) -> String {
    to_hiragana(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One row of 「利用者一覧」: never contact, emergency or disability data (§4.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientListItem {
    pub id: Uuid,
    pub name: String,
    pub kana: String,
    /// Years, from the birth date and today in JST.
    pub age: i32,
    pub gender: String,
    pub service_type: String,
    pub assigned_staff: Vec<String>,
    pub status: RecipientStatus,
    pub profile_incomplete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientPage {
    pub items: Vec<RecipientListItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

/// One recipient with every wizard field (as form text, for the detail page and edit prefill).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientRecord {
    pub id: Uuid,
    /// Send back with an update: a newer one on the server means someone saved in between.
    pub version: i32,
    pub status: RecipientStatus,
    pub profile_incomplete: bool,
    pub input: RecipientInput,
    pub created_at: String,
    pub updated_at: String,
}

/// What the wizard needs besides the recipient: the office's service types and staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientFormContext {
    /// JST today, `YYYY-MM-DD`.
    pub today: String,
    pub service_types: Vec<ServiceType>,
    /// (id, name) of the office's active staff, for 担当職員.
    pub staff: Vec<(Uuid, String)>,
}

/// `POST /api/recipients/create` and `update` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveOutcome {
    /// Saved (managers and owners).
    Saved { id: Uuid, version: i32 },
    /// Another recipient has the same name and birth date: ask, then send again with
    /// `confirm_duplicate` (§4.5).
    DuplicateFound { existing: Vec<Uuid> },
    /// An employee's write: stored as an approval request for a manager or owner (§1.2).
    PendingApproval { request_id: Uuid },
}

/// One problem in one cell of an imported CSV file. `row` counts as spreadsheets do (the header
/// is row 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// The dry run of a CSV import (SPEC §4.6): nothing is saved yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Send back with the same file to import it (valid 30 minutes, for this staff member).
    pub preview_id: Uuid,
    /// Data rows in the file.
    pub rows: u32,
    /// Rows that would be registered.
    pub new: u32,
    /// Of those, rows lacking wizard-required values (「未入力項目あり」).
    pub incomplete: u32,
    /// Rows refused because the name and birth date exist already (without 重複許可 = 1).
    pub duplicates: u32,
    /// Every problem, with row and column; any error means nothing can be imported.
    pub errors: Vec<CellError>,
    pub warnings: Vec<CellError>,
}

/// A CSV file for the browser to save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvFile {
    pub filename: String,
    /// UTF-8 with BOM, CRLF line ends.
    pub content: String,
    pub rows: u32,
}

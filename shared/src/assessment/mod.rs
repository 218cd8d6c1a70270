//! アセスメント (SPEC §5): six sections, each its own form with one parser that the browser runs
//! on every change and the server runs again. List sections hold several entries (家族構成,
//! 福祉サービスの利用歴, 通院歴); the others at most one (医療の基本事項, 就労関係, 課題分析).

mod options;
mod sections;
#[cfg(test)]
mod tests;

pub use options::*;
pub use sections::*;

use crate::{FieldError, choice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

choice! {
    /// The sections, in the page's order.
    pub enum Section {
        Family => "family", "家族構成";
        ServiceHistory => "service_history", "福祉サービスの利用歴";
        Medical => "medical", "医療の基本事項";
        HospitalVisit => "hospital_visit", "通院歴";
        Employment => "employment", "就労関係";
        IssueAnalysis => "issue_analysis", "課題分析";
    }
}

impl Section {
    /// How many entries a recipient may have (1 for the one-per-recipient sections).
    pub const fn max_entries(self) -> usize {
        match self {
            Self::Family | Self::HospitalVisit => 20,
            Self::ServiceHistory => 30,
            Self::Medical | Self::Employment | Self::IssueAnalysis => 1,
        }
    }

    pub const fn is_list(self) -> bool {
        self.max_entries() > 1
    }
}

/// One entry of any section as the form sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "section", content = "input", rename_all = "snake_case")]
pub enum EntryInput {
    Family(FamilyMemberInput),
    ServiceHistory(ServiceHistoryInput),
    Medical(MedicalInput),
    HospitalVisit(HospitalVisitInput),
    Employment(EmploymentInput),
    IssueAnalysis(IssueAnalysisInput),
}

impl EntryInput {
    pub fn section(&self) -> Section {
        match self {
            Self::Family(_) => Section::Family,
            Self::ServiceHistory(_) => Section::ServiceHistory,
            Self::Medical(_) => Section::Medical,
            Self::HospitalVisit(_) => Section::HospitalVisit,
            Self::Employment(_) => Section::Employment,
            Self::IssueAnalysis(_) => Section::IssueAnalysis,
        }
    }

    /// The section's rules; `Ok` holds the entry normalised (what is stored).
    pub fn parse(&self) -> Result<EntryInput, Vec<FieldError>> {
        Ok(match self {
            Self::Family(i) => Self::Family(i.parse()?.to_input()),
            Self::ServiceHistory(i) => Self::ServiceHistory(i.parse()?.to_input()),
            Self::Medical(i) => Self::Medical(i.parse()?.to_input()),
            Self::HospitalVisit(i) => Self::HospitalVisit(i.parse()?.to_input()),
            Self::Employment(i) => Self::Employment(i.parse()?.to_input()),
            Self::IssueAnalysis(i) => Self::IssueAnalysis(i.parse()?.to_input()),
        })
    }
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    /// Send back with an update or delete (optimistic locking).
    pub version: i32,
    pub entry: EntryInput,
    /// JST, `YYYY/MM/DD HH:MM`.
    pub updated_at: String,
    pub updated_by: String,
}

/// `GET /api/assessment`: every section of one recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub recipient_id: Uuid,
    pub recipient_name: String,
    /// Archived or deleted recipients' assessment is read only.
    pub read_only: bool,
    /// Family and hospital visits in the order entered; service history by start date, newest
    /// first.
    pub entries: Vec<Entry>,
}

impl Assessment {
    pub fn of(&self, section: Section) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |e| e.entry.section() == section)
    }
}

/// `POST /api/assessment/save` answers with the entry's id and new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedEntry {
    pub id: Uuid,
    pub version: i32,
}

//! Plan documents (SPEC §7): their types, the one upload rule the browser checks before sending
//! and the server checks again while the body streams in, the display name of a file, and what
//! the document functions answer with.

use crate::{AppError, ErrorCode, choice, plan::PlanStep, text::normalize_line};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

choice! {
    /// §7.1.
    pub enum DocType {
        AssessmentSheet => "assessment_sheet", "アセスメントシート";
        DraftPlanPdf => "draft_plan_pdf", "計画書（原案）";
        StaffMeetingMinutes => "staff_meeting_minutes", "担当者会議議事録";
        FinalPlanSignedPdf => "final_plan_signed_pdf", "計画書（署名済）";
        MonitoringReportPdf => "monitoring_report_pdf", "モニタリング報告書";
        ConsentCertificate => "consent_certificate", "電子同意記録";
    }
}

impl DocType {
    /// The step whose card holds it.
    pub const fn step(self) -> Option<PlanStep> {
        match self {
            Self::AssessmentSheet => Some(PlanStep::Assessment),
            Self::DraftPlanPdf => Some(PlanStep::DraftPlan),
            Self::StaffMeetingMinutes => Some(PlanStep::StaffMeeting),
            Self::FinalPlanSignedPdf | Self::ConsentCertificate => Some(PlanStep::FinalPlanSigned),
            Self::MonitoringReportPdf => Some(PlanStep::Monitoring),
        }
    }
}

/// §7.2: at most 10 MiB.
pub const MAX_PDF_BYTES: u64 = 10 * 1024 * 1024;
/// §7.2: what every PDF starts with.
pub const PDF_MAGIC: &[u8; 5] = b"%PDF-";
/// The longest display name (§7.2).
pub const MAX_FILE_NAME_CHARS: usize = 120;
/// The text under every file picker.
pub const UPLOAD_HINT: &str = "PDFファイルのみ・最大ファイルサイズ: 10MB";

/// Why a file is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadRejection {
    TooLarge,
    NotPdf,
}

impl UploadRejection {
    /// `PAYLOAD_TOO_LARGE` / `UNSUPPORTED_FILE` with the messages of §0.
    pub fn error(self) -> AppError {
        AppError::new(match self {
            Self::TooLarge => ErrorCode::PayloadTooLarge,
            Self::NotPdf => ErrorCode::UnsupportedFile,
        })
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::TooLarge => ErrorCode::PayloadTooLarge.default_message(),
            Self::NotPdf => ErrorCode::UnsupportedFile.default_message(),
        }
    }
}

/// The upload rule of §7.2, fed with the bytes as they arrive: the size is counted chunk by
/// chunk (more than [`MAX_PDF_BYTES`] fails at once, so reading can stop at the limit + 1), and
/// the first five bytes must be `%PDF-` (judged at the end, after the size: §7.2's order). The
/// client's content type and file name play no part.
#[derive(Clone, Debug, Default)]
pub struct PdfCheck {
    size: u64,
    head: Vec<u8>,
}

impl PdfCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next chunk of the body.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), UploadRejection> {
        self.size += chunk.len() as u64;
        let missing = PDF_MAGIC.len().saturating_sub(self.head.len());
        self.head
            .extend_from_slice(&chunk[..missing.min(chunk.len())]);
        if self.size > MAX_PDF_BYTES {
            return Err(UploadRejection::TooLarge);
        }
        Ok(())
    }

    /// The whole body was read: its size when it is a PDF.
    pub fn finish(&self) -> Result<u64, UploadRejection> {
        if self.head.as_slice() == PDF_MAGIC {
            Ok(self.size)
        } else {
            Err(UploadRejection::NotPdf)
        }
    }

    /// The same rule for a file the user chose, before anything is sent: its size and its
    /// first bytes (the browser reads five).
    pub fn file(size: u64, head: &[u8]) -> Result<(), UploadRejection> {
        if size > MAX_PDF_BYTES {
            return Err(UploadRejection::TooLarge);
        }
        let mut check = Self::new();
        check.feed(&head[..head.len().min(PDF_MAGIC.len())])?;
        check.finish().map(|_| ())
    }
}

/// The display name of an uploaded file (§7.2): no directory parts, NFC, no control or
/// bidirectional-override characters, trimmed, ending in `.pdf` (any case), at most 120
/// characters (the stem is shortened); `{label}.pdf` when nothing is left.
pub fn display_file_name(raw: &str, doc_type: DocType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .nfc()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let name = normalize_line(&cleaned);
    let has_suffix =
        name.len() >= 4 && name.as_bytes()[name.len() - 4..].eq_ignore_ascii_case(b".pdf");
    let (stem, suffix) = if has_suffix {
        let cut = name.len() - 4;
        (name[..cut].trim_end().to_owned(), name[cut..].to_owned())
    } else {
        (name, ".pdf".to_owned())
    };
    if stem.is_empty() {
        return format!("{}.pdf", doc_type.label());
    }
    let keep = MAX_FILE_NAME_CHARS - suffix.chars().count();
    let stem: String = stem.chars().take(keep).collect();
    format!("{stem}{suffix}")
}

/// `1.2 MB`, `340 KB`: a size as people read it.
pub fn size_label(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

choice! {
    /// How a version came to be (§7.1).
    pub enum DocumentSource {
        Uploaded => "uploaded", "アップロード";
        Generated => "generated", "作成";
        Econsent => "econsent", "電子同意";
    }
}

/// A deleted version's tombstone (§7.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub deleted_at: String,
    pub deleted_by_name: String,
    pub reason: String,
}

/// One version of a document, newest first in [`DocumentView::versions`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: Uuid,
    pub version: i32,
    pub file_name: String,
    pub byte_size: u64,
    /// Hex.
    pub sha256: String,
    pub source: DocumentSource,
    /// 修正理由.
    pub reason: Option<String>,
    pub uploaded_by_name: String,
    /// JST, `2026年5月1日 10:00`.
    pub uploaded_at: String,
    pub deleted: Option<Tombstone>,
    /// The newest version not deleted.
    pub current: bool,
    /// The version recorded as completing its step.
    pub completes_step: bool,
    /// §7.5: may be deleted now (by a manager or owner).
    pub deletable: bool,
}

/// One document (cycle × type) with every version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: Uuid,
    pub doc_type: DocType,
    pub versions: Vec<VersionView>,
}

impl DocumentView {
    pub fn current(&self) -> Option<&VersionView> {
        self.versions.iter().find(|v| v.current)
    }
}

/// A short-lived link to one version (§7.2: 300 s, issued on click, audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenLink {
    pub url: String,
    pub expires_in_s: u32,
    pub file_name: String,
}

/// What an upload made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOutcome {
    pub document_id: Uuid,
    pub version_id: Uuid,
    pub version: i32,
    /// Set when the upload also completed its step.
    pub completed: Option<crate::plan::views::StepCompleted>,
}

/// The metadata part of an upload (`multipart/form-data` part `meta`, before the `file` part).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UploadMeta {
    pub recipient_id: Option<Uuid>,
    pub cycle_id: Option<Uuid>,
    pub doc_type: String,
    /// 修正理由 (≤200; required on closed cycles).
    pub reason: String,
    /// Completes the cycle's current step with this file when present.
    pub completion: Option<crate::plan::forms::StepCompletionInput>,
}

/// 修正理由: ≤200 characters, `None` when empty.
pub fn parse_version_reason(raw: &str) -> Result<Option<String>, crate::FieldError> {
    let reason = crate::text::normalize_multiline(raw);
    if crate::text::char_len(&reason) > 200 {
        return Err(crate::FieldError::new(
            "reason",
            "修正理由は200文字以内で入力してください",
        ));
    }
    Ok((!reason.is_empty()).then_some(reason))
}

/// 「PDF一覧」 (§7.8) as the browser sends it; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentQuery {
    /// File name or recipient name/kana (≤200).
    pub q: String,
    /// Recipient ids, comma separated.
    pub recipients: String,
    /// Document types, comma separated.
    pub types: String,
    /// Upload dates (JST), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// `uploaded` (default), `recipient`, `file_name`.
    pub sort: String,
    /// `desc` (default for uploaded) or `asc`.
    pub dir: String,
    pub page: u32,
    /// 1–100 (default 20).
    pub per_page: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentSort {
    Uploaded,
    Recipient,
    FileName,
}

/// A valid 「PDF一覧」 query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFilter {
    /// Search words (file name as typed, names as the recipient search key).
    pub words: Vec<String>,
    pub recipients: Vec<Uuid>,
    pub types: Vec<DocType>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    pub sort: DocumentSort,
    pub descending: bool,
    pub page: u32,
    pub per_page: u32,
}

impl DocumentQuery {
    pub fn parse(&self) -> Result<DocumentFilter, Vec<crate::FieldError>> {
        let mut c = crate::fields::FieldCheck::default();
        if self.q.chars().count() > 200 {
            c.fail("q", "検索語は200文字以内で入力してください");
        }
        let list = |raw: &str| {
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let mut recipients = Vec::new();
        for id in list(&self.recipients) {
            match Uuid::parse_str(&id) {
                Ok(id) => recipients.push(id),
                Err(_) => c.fail("recipients", "利用者は一覧から選択してください"),
            }
        }
        let mut types = Vec::new();
        for t in list(&self.types) {
            match DocType::parse(&t) {
                Some(t) => types.push(t),
                None => c.fail("types", "種類は一覧から選択してください"),
            }
        }
        let from = crate::fields::optional_date(&mut c, "from", &self.from).flatten();
        let to = crate::fields::optional_date(&mut c, "to", &self.to).flatten();
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            c.fail("to", "期間の終わりは始まり以降の日付を入力してください");
        }
        let sort = match self.sort.as_str() {
            "" | "uploaded" => DocumentSort::Uploaded,
            "recipient" => DocumentSort::Recipient,
            "file_name" => DocumentSort::FileName,
            _ => {
                c.fail("sort", "並び順が正しくありません");
                DocumentSort::Uploaded
            }
        };
        let descending = match (self.dir.as_str(), sort) {
            ("", DocumentSort::Uploaded) => true,
            ("", _) => false,
            ("desc", _) => true,
            ("asc", _) => false,
            _ => {
                c.fail("dir", "並び順が正しくありません");
                false
            }
        };
        let per_page = match self.per_page {
            0 => 20,
            n @ 1..=100 => n,
            _ => {
                c.fail("per_page", "表示件数は1〜100件で指定してください");
                20
            }
        };
        if !c.is_ok() {
            return Err(c.into_errors());
        }
        let words = self
            .q
            .split([' ', '\u{3000}'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(DocumentFilter {
            words,
            recipients,
            types,
            from,
            to,
            sort,
            descending,
            page: self.page.max(1),
            per_page,
        })
    }
}

/// One row of 「PDF一覧」.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentListItem {
    pub version_id: Uuid,
    pub file_name: String,
    pub doc_type: DocType,
    pub version: i32,
    pub recipient_id: Uuid,
    pub recipient_name: String,
    pub recipient_kana: String,
    pub recipient_archived: bool,
    pub cycle_number: i32,
    pub uploaded_by_name: String,
    pub uploaded_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub items: Vec<DocumentListItem>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_limit_is_counted_across_chunks() {
        let mut check = PdfCheck::new();
        assert_eq!(check.feed(b"%P"), Ok(()));
        assert_eq!(check.feed(b"DF-1.7"), Ok(()));
        let rest = vec![0u8; (MAX_PDF_BYTES - 8) as usize];
        assert_eq!(check.feed(&rest), Ok(()));
        assert_eq!(check.finish(), Ok(MAX_PDF_BYTES));
        assert_eq!(check.feed(b"x"), Err(UploadRejection::TooLarge));
    }

    #[test]
    fn only_pdf_magic_passes_whatever_the_name_says() {
        for (body, ok) in [
            (&b"%PDF-1.4\n..."[..], true),
            (b"\x89PNG\r\n\x1a\n", false),
            (b"%PDF", false),
            (b"", false),
            (b" %PDF-1.4", false),
        ] {
            let mut check = PdfCheck::new();
            check.feed(body).unwrap();
            assert_eq!(check.finish().is_ok(), ok, "{body:?}");
            assert_eq!(PdfCheck::file(body.len() as u64, body).is_ok(), ok);
        }
        assert_eq!(
            PdfCheck::file(MAX_PDF_BYTES + 1, b"%PDF-"),
            Err(UploadRejection::TooLarge)
        );
        assert_eq!(
            PdfCheck::file(11 * 1024 * 1024, b"\x89PNG\r"),
            Err(UploadRejection::TooLarge),
            "the size is judged first"
        );
        assert_eq!(
            UploadRejection::NotPdf.error().code,
            ErrorCode::UnsupportedFile
        );
    }

    #[test]
    fn display_names_are_safe_and_end_in_pdf() {
        let t = DocType::DraftPlanPdf;
        let cases = [
            ("計画書.pdf", "計画書.pdf"),
            ("C:\\Users\\yamada\\計画書.PDF", "計画書.PDF"),
            ("../../etc/passwd", "passwd.pdf"),
            ("  原案  ", "原案.pdf"),
            ("report\u{202E}fdp.exe", "reportfdp.exe.pdf"),
            ("a\u{0000}b\u{2066}c.pdf", "abc.pdf"),
            (".pdf", "計画書（原案）.pdf"),
            ("", "計画書（原案）.pdf"),
            ("dir/", "計画書（原案）.pdf"),
            // NFC: か + combining dakuten → が.
            ("か\u{3099}.pdf", "が.pdf"),
        ];
        for (raw, expected) in cases {
            assert_eq!(display_file_name(raw, t), expected, "{raw:?}");
        }
        let long = format!("{}.pdf", "あ".repeat(200));
        let name = display_file_name(&long, t);
        assert_eq!(name.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
        let long = "い".repeat(130);
        assert_eq!(display_file_name(&long, t).chars().count(), 120);
    }

    #[test]
    fn the_office_pdf_list_query_is_checked() {
        let query = DocumentQuery {
            q: "山田　計画".into(),
            types: "draft_plan_pdf,monitoring_report_pdf".into(),
            ..Default::default()
        };
        let filter = query.parse().unwrap();
        assert_eq!(filter.words, ["山田", "計画"]);
        assert_eq!(filter.types.len(), 2);
        assert!(filter.descending);
        assert_eq!(filter.per_page, 20);
        let bad = DocumentQuery {
            types: "png".into(),
            sort: "size".into(),
            per_page: 500,
            from: "2026-05-02".into(),
            to: "2026-05-01".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["types", "to", "sort", "per_page"]);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_label(300), "1 KB");
        assert_eq!(size_label(350_000), "342 KB");
        assert_eq!(size_label(1_300_000), "1.2 MB");
    }
}

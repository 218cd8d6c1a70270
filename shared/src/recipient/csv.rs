//! CSV import and export of recipients (SPEC §4.6). Reading a file is pure (no database): the
//! server looks up what it needs first (service types, staff e-mails) and passes it in, so the
//! same code runs under `cargo fuzz`. Every value goes through the wizard's parser.

use super::{
    CellError, EmergencyContactInput, FormOfResidence, Gender, LivelihoodProtection,
    RecipientContext, RecipientInput, RecipientProfile, RecipientStatus, Relationship,
    Transportation,
};
use crate::{service_type::ServiceType, text::normalize_line};
use std::{
    borrow::Cow,
    collections::{BTreeSet, HashMap, HashSet},
};
use uuid::Uuid;

pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_ROWS: usize = 1000;

/// The import columns, in the export's order, with the form field each fills.
const COLUMNS: [(&str, &str); 24] = [
    ("姓", "last_name"),
    ("名", "first_name"),
    ("姓（ふりがな）", "last_name_kana"),
    ("名（ふりがな）", "first_name_kana"),
    ("生年月日", "birth_date"),
    ("性別", "gender"),
    ("サービス種別", "service_type"),
    ("利用契約日", "contract_date"),
    ("受給者証番号", "certificate_number"),
    ("郵便番号", "postal_code"),
    ("住所", "address"),
    ("電話番号", "tel"),
    ("居住形態", "form_of_residence"),
    ("交通手段", "means_of_transportation"),
    ("障害または疾患名", "disability_or_disease_name"),
    ("生活保護受給状況", "livelihood_protection"),
    ("緊急連絡先_姓", "emergency_contacts.0.last_name"),
    ("緊急連絡先_名", "emergency_contacts.0.first_name"),
    ("緊急連絡先_ふりがな", "emergency_contacts.0.kana"),
    ("緊急連絡先_続柄", "emergency_contacts.0.relationship"),
    ("緊急連絡先_電話番号", "emergency_contacts.0.tel"),
    ("担当職員メール", "assigned_staff_ids"),
    ("現在の計画の交付日", "current_plan_delivered_date"),
    ("重複許可", "allow_duplicate"),
];

/// Columns only the export writes; an import of an exported file skips them.
const EXPORT_ONLY: [&str; 7] = [
    "利用者ID",
    "状態",
    "利用終了日",
    "現在のサイクル",
    "現在のステップ",
    "次回更新日",
    "アセスメント開始期限",
];

const ALWAYS_REQUIRED: [&str; 6] = [
    "姓",
    "名",
    "姓（ふりがな）",
    "名（ふりがな）",
    "生年月日",
    "性別",
];

/// Wizard-required values a row may leave out: the recipient is imported with
/// `profile_incomplete` (「未入力項目あり」) and these stay empty until completed through 編集.
pub const MAY_BE_MISSING: [&str; 8] = [
    "contract_date",
    "address",
    "form_of_residence",
    "means_of_transportation",
    "tel",
    "emergency_contacts",
    "disability_or_disease_name",
    "livelihood_protection",
];

/// Why a whole file is refused (nothing is read from it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    TooLarge,
    Empty,
    /// Neither UTF-8 nor CP932.
    Encoding,
    UnknownHeader(String),
    DuplicateHeader(String),
    MissingHeader(&'static str),
    TooManyRows,
    /// The CSV structure itself is broken at this row (e.g. an unclosed quote).
    Malformed(usize),
}

impl FileError {
    pub fn message(&self) -> String {
        match self {
            Self::TooLarge => "ファイルは2MBまでです".into(),
            Self::Empty => "ファイルに見出し行がありません".into(),
            Self::Encoding => {
                "文字コードを読み取れません。UTF-8またはShift_JISで保存したCSVファイルを選んでください"
                    .into()
            }
            Self::UnknownHeader(h) => format!("見出し「{h}」はこのファイル形式にない列です"),
            Self::DuplicateHeader(h) => format!("見出し「{h}」が2回あります"),
            Self::MissingHeader(h) => format!("必須の列「{h}」がありません"),
            Self::TooManyRows => format!("一度に取り込めるのは{MAX_ROWS}行までです"),
            Self::Malformed(row) => format!("{row}行目のCSVの形式が正しくありません"),
        }
    }
}

/// What reading a file needs to know about the office.
#[derive(Clone, Debug)]
pub struct ImportContext {
    /// Today and the office's service types (`creating` is true).
    pub recipient: RecipientContext,
    /// Lower-cased e-mail → id of the office's active staff.
    pub staff_emails: HashMap<String, Uuid>,
}

/// A row that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub row: usize,
    /// The fields of [`MAY_BE_MISSING`] that the row left out hold stand-ins here; store them
    /// empty.
    pub profile: RecipientProfile,
    pub missing: BTreeSet<&'static str>,
    /// 重複許可 = 1: register even when the name and birth date exist already (§4.5).
    pub allow_duplicate: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedFile {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<CellError>,
    /// Accepted, but worth knowing (a missing contract date).
    pub warnings: Vec<CellError>,
}

/// BOM → UTF-8; otherwise valid UTF-8; otherwise CP932 (Shift_JIS as Windows writes it).
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(Cow::Borrowed)
            .map_err(|_| FileError::Encoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(text));
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(FileError::Encoding);
    }
    Ok(text)
}

/// Reads a whole file: a file error refuses all of it; otherwise every row is either a good row
/// or listed with its cell errors.
pub fn parse_file(bytes: &[u8], ctx: &ImportContext) -> Result<ParsedFile, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(FileError::Empty),
        Some(Err(_)) => return Err(FileError::Malformed(1)),
        Some(Ok(header)) => header,
    };
    let columns = read_header(&header, ctx)?;
    let mut file = ParsedFile::default();
    let mut seen = 0;
    for (index, record) in records.enumerate() {
        let row = index + 2;
        let record = record.map_err(|_| FileError::Malformed(row))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        seen += 1;
        if seen > MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let cells: HashMap<&str, &str> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, field)| field.map(|f| (f, record.get(i).unwrap_or(""))))
            .collect();
        read_row(row, &cells, ctx, &mut file);
    }
    Ok(file)
}

/// The form field of each column (None: an export-only column, skipped).
fn read_header(
    header: &csv::StringRecord,
    ctx: &ImportContext,
) -> Result<Vec<Option<&'static str>>, FileError> {
    let mut seen = HashSet::new();
    let mut fields = Vec::with_capacity(header.len());
    for name in header.iter() {
        let name = name.trim();
        if !seen.insert(name.to_owned()) {
            return Err(FileError::DuplicateHeader(name.to_owned()));
        }
        if let Some((_, field)) = COLUMNS.iter().find(|(h, _)| *h == name) {
            fields.push(Some(*field));
        } else if EXPORT_ONLY.contains(&name) {
            fields.push(None);
        } else {
            return Err(FileError::UnknownHeader(name.to_owned()));
        }
    }
    let mut required = ALWAYS_REQUIRED.to_vec();
    if ctx.recipient.service_types.len() != 1 {
        required.push("サービス種別");
    }
    if let Some(missing) = required.into_iter().find(|h| !seen.contains(*h)) {
        return Err(FileError::MissingHeader(missing));
    }
    Ok(fields)
}

/// The column that shows a form field's error.
fn column_of(field: &str) -> &'static str {
    let field = match field {
        "form_of_residence_other_text" => "form_of_residence",
        "means_of_transportation_other_text" => "means_of_transportation",
        "emergency_contacts" => "emergency_contacts.0.last_name",
        f if f.starts_with("emergency_contacts.") => {
            let leaf = f.rsplit('.').next().unwrap_or(f);
            match leaf {
                "last_name_kana" | "first_name_kana" => "emergency_contacts.0.kana",
                "relationship_other_text" => "emergency_contacts.0.relationship",
                "first_name" => "emergency_contacts.0.first_name",
                "relationship" => "emergency_contacts.0.relationship",
                "tel" => "emergency_contacts.0.tel",
                _ => "emergency_contacts.0.last_name",
            }
        }
        f => f,
    };
    COLUMNS
        .iter()
        .find(|(_, f)| *f == field)
        .map_or("姓", |(h, _)| *h)
}

/// A label from the file, or the stored value itself when it is one.
fn option(cell: &str, from_label: impl Fn(&str) -> Option<&'static str>) -> String {
    let cell = normalize_line(cell);
    from_label(&cell).map_or(cell, str::to_owned)
}

fn read_row(row: usize, cells: &HashMap<&str, &str>, ctx: &ImportContext, file: &mut ParsedFile) {
    let cell = |field: &str| unformula(cells.get(field).copied().unwrap_or(""));
    let mut errors = Vec::new();
    let error = |field: &str, message: &str| CellError {
        row,
        column: column_of(field).to_owned(),
        message: message.to_owned(),
    };
    let service_type = match (
        cell("service_type").trim(),
        ctx.recipient.service_types.as_slice(),
    ) {
        ("", [only]) => only.code().to_owned(),
        (label, _) => option(label, |l| ServiceType::from_label(l).map(ServiceType::code)),
    };
    let contact = [
        cell("emergency_contacts.0.last_name"),
        cell("emergency_contacts.0.first_name"),
        cell("emergency_contacts.0.kana"),
        cell("emergency_contacts.0.relationship"),
        cell("emergency_contacts.0.tel"),
    ];
    let emergency_contacts = if contact.iter().all(|c| c.trim().is_empty()) {
        Vec::new()
    } else {
        let kana = normalize_line(contact[2]);
        let mut words = kana.split(char::is_whitespace).filter(|w| !w.is_empty());
        let (last_kana, first_kana) = (words.next(), words.collect::<Vec<_>>().join(""));
        vec![EmergencyContactInput {
            last_name: contact[0].to_owned(),
            first_name: contact[1].to_owned(),
            last_name_kana: last_kana.unwrap_or_default().to_owned(),
            first_name_kana: first_kana,
            relationship: option(contact[3], |l| {
                Relationship::from_label(l).map(Relationship::as_str)
            }),
            tel: contact[4].to_owned(),
            ..EmergencyContactInput::default()
        }]
    };
    let mut assigned_staff_ids = Vec::new();
    for email in cell("assigned_staff_ids").split(';') {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            continue;
        }
        match ctx.staff_emails.get(&email) {
            Some(id) => assigned_staff_ids.push(id.to_string()),
            None => errors.push(error(
                "assigned_staff_ids",
                "事業所の職員（利用中）のメールアドレスを入力してください",
            )),
        }
    }
    let allow_duplicate = match cell("allow_duplicate").trim() {
        "" | "0" => false,
        "1" => true,
        _ => {
            errors.push(error(
                "allow_duplicate",
                "重複許可は 1 または空欄にしてください",
            ));
            false
        }
    };
    let input = RecipientInput {
        last_name: cell("last_name").to_owned(),
        first_name: cell("first_name").to_owned(),
        last_name_kana: cell("last_name_kana").to_owned(),
        first_name_kana: cell("first_name_kana").to_owned(),
        birth_date: cell("birth_date").to_owned(),
        gender: option(cell("gender"), |l| {
            Gender::from_label(l).map(Gender::as_str)
        }),
        service_type,
        contract_date: cell("contract_date").to_owned(),
        certificate_number: cell("certificate_number").to_owned(),
        assigned_staff_ids,
        current_plan_delivered_date: cell("current_plan_delivered_date").to_owned(),
        postal_code: cell("postal_code").to_owned(),
        address: cell("address").to_owned(),
        form_of_residence: option(cell("form_of_residence"), |l| {
            FormOfResidence::from_label(l).map(FormOfResidence::as_str)
        }),
        means_of_transportation: option(cell("means_of_transportation"), |l| {
            Transportation::from_label(l).map(Transportation::as_str)
        }),
        tel: cell("tel").to_owned(),
        emergency_contacts,
        disability_or_disease_name: cell("disability_or_disease_name").to_owned(),
        livelihood_protection: option(cell("livelihood_protection"), |l| {
            LivelihoodProtection::from_label(l).map(LivelihoodProtection::as_str)
        }),
        ..RecipientInput::default()
    };
    let (filled, missing) = stand_in_missing(input, ctx.recipient.today);
    match filled.parse(&ctx.recipient) {
        Ok(profile) if errors.is_empty() => {
            if missing.contains("contract_date") {
                file.warnings.push(CellError {
                    row,
                    column: "利用契約日".into(),
                    message: "利用契約日がないため、契約日とアセスメントの前後関係は確認されません"
                        .into(),
                });
            }
            file.rows.push(ImportRow {
                row,
                profile,
                missing,
                allow_duplicate,
            });
        }
        Ok(_) => file.errors.extend(errors),
        Err(field_errors) => {
            errors.extend(field_errors.iter().map(|e| error(&e.field, &e.message_ja)));
            file.errors.extend(errors);
        }
    }
}

/// Puts a valid stand-in into every empty field of [`MAY_BE_MISSING`], so that the wizard's
/// parser checks everything the row does provide; returns the fields that were empty.
fn stand_in_missing(
    mut input: RecipientInput,
    today: time::Date,
) -> (RecipientInput, BTreeSet<&'static str>) {
    let mut missing = BTreeSet::new();
    let mut stand_in = |field: &'static str, value: &mut String, with: &str| {
        if value.trim().is_empty() {
            missing.insert(field);
            *value = with.to_owned();
        }
    };
    // A contract date no birth date or migration date can conflict with: the birth date itself
    // when it is valid, else the earliest date there is.
    let birth = crate::dates::parse_date(&input.birth_date)
        .ok()
        .filter(|d| *d <= today)
        .map_or_else(|| "1900-01-01".to_owned(), crate::dates::format_date_iso);
    stand_in("contract_date", &mut input.contract_date, &birth);
    stand_in("address", &mut input.address, "未入力");
    stand_in(
        "form_of_residence",
        &mut input.form_of_residence,
        FormOfResidence::HomeWithFamily.as_str(),
    );
    stand_in(
        "means_of_transportation",
        &mut input.means_of_transportation,
        Transportation::Walk.as_str(),
    );
    stand_in("tel", &mut input.tel, "0000000000");
    stand_in(
        "disability_or_disease_name",
        &mut input.disability_or_disease_name,
        "未入力",
    );
    stand_in(
        "livelihood_protection",
        &mut input.livelihood_protection,
        LivelihoodProtection::NotReceiving.as_str(),
    );
    if input.emergency_contacts.is_empty() {
        missing.insert("emergency_contacts");
        input.emergency_contacts.push(EmergencyContactInput {
            last_name: "未".into(),
            first_name: "入力".into(),
            last_name_kana: "み".into(),
            first_name_kana: "にゅうりょく".into(),
            relationship: Relationship::Other.as_str().into(),
            relationship_other_text: "未入力".into(),
            tel: "0000000000".into(),
            ..EmergencyContactInput::default()
        });
    }
    (input, missing)
}

/// One recipient as the export writes it.
#[derive(Clone, Debug)]
pub struct ExportRow {
    pub id: Uuid,
    pub status: RecipientStatus,
    pub end_date: String,
    pub input: RecipientInput,
    pub staff_emails: Vec<String>,
    /// 現在のサイクル, 現在のステップ, 次回更新日, アセスメント開始期限 (SPEC §6), as text.
    pub plan: [String; 4],
}

/// A cell that a spreadsheet could run as a formula gets a leading `'`.
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`formula_safe`] on import, so an exported file reads back as it was.
fn unformula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// UTF-8 with BOM, CRLF line ends: what Excel opens correctly in Japan.
pub fn export(rows: &[ExportRow]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let header: Vec<&str> = std::iter::once("利用者ID")
            .chain(COLUMNS.iter().map(|(h, _)| *h))
            .chain(EXPORT_ONLY[1..].iter().copied())
            .collect();
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(&header);
        for r in rows {
            let i = &r.input;
            let label = |field: &str| i.display_value(field, &|id| id.to_owned());
            let contact = i.emergency_contacts.first();
            let c = |f: fn(&EmergencyContactInput) -> String| contact.map(f).unwrap_or_default();
            let cells: Vec<String> = vec![
                r.id.to_string(),
                i.last_name.clone(),
                i.first_name.clone(),
                i.last_name_kana.clone(),
                i.first_name_kana.clone(),
                i.birth_date.clone(),
                label("gender"),
                label("service_type"),
                i.contract_date.clone(),
                i.certificate_number.clone(),
                i.postal_code.clone(),
                i.address.clone(),
                i.tel.clone(),
                label("form_of_residence"),
                label("means_of_transportation"),
                i.disability_or_disease_name.clone(),
                label("livelihood_protection"),
                c(|c| c.last_name.clone()),
                c(|c| c.first_name.clone()),
                c(|c| format!("{} {}", c.last_name_kana, c.first_name_kana)),
                c(|c| c.relationship.clone()),
                c(|c| c.tel.clone()),
                r.staff_emails.join(";"),
                String::new(),
                String::new(),
                r.status.label().to_owned(),
                r.end_date.clone(),
            ]
            .into_iter()
            .chain(r.plan.iter().cloned())
            .collect();
            let _ = writer.write_record(cells.iter().map(|c| formula_safe(c).into_owned()));
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ctx() -> ImportContext {
        ImportContext {
            recipient: RecipientContext {
                today: date!(2026 - 12 - 01),
                service_types: vec![ServiceType::LifeCare],
                creating: true,
            },
            staff_emails: HashMap::from([("staff@example.jp".to_owned(), Uuid::nil())]),
        }
    }

    const HEADER: &str = "姓,名,姓（ふりがな）,名（ふりがな）,生年月日,性別,住所,電話番号,緊急連絡先_ふりがな,担当職員メール";

    #[test]
    fn rows_are_checked_with_the_wizards_rules() {
        let file = format!(
            "{HEADER}\r\n山田,太郎,ヤマダ,たろう,1990/4/1,男性,東京都,03-1234-5678,,staff@example.jp\r\n\
             ,花子,やまだ,はなこ,2999-01-01,女,,,やまだ,nobody@example.jp\r\n"
        );
        let parsed = parse_file(file.as_bytes(), &ctx()).unwrap();
        assert_eq!(parsed.rows.len(), 1);
        let row = &parsed.rows[0];
        assert_eq!(row.row, 2);
        assert_eq!(row.profile.first_name_kana.as_str(), "たろう");
        assert_eq!(row.profile.last_name_kana.as_str(), "やまだ");
        assert_eq!(row.profile.assigned_staff_ids, [Uuid::nil()]);
        assert!(
            row.missing.contains("emergency_contacts") && row.missing.contains("contract_date")
        );
        assert!(!row.missing.contains("address"));
        assert_eq!(parsed.warnings.len(), 1);
        let errors: Vec<(usize, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert!(errors.contains(&(3, "姓")), "{errors:?}");
        assert!(errors.contains(&(3, "生年月日")));
        assert!(errors.contains(&(3, "性別")));
        assert!(errors.contains(&(3, "担当職員メール")));
        assert!(errors.contains(&(3, "緊急連絡先_姓")));
    }

    #[test]
    fn file_errors_refuse_the_whole_file() {
        assert_eq!(
            parse_file("姓,名,年齢\r\n".as_bytes(), &ctx()),
            Err(FileError::UnknownHeader("年齢".into()))
        );
        assert_eq!(
            parse_file("姓,名\r\n".as_bytes(), &ctx()),
            Err(FileError::MissingHeader("姓（ふりがな）"))
        );
        assert_eq!(parse_file(b"", &ctx()), Err(FileError::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF\xFF"), Err(FileError::Encoding));
        let mut big = format!("{HEADER}\r\n");
        for _ in 0..=MAX_ROWS {
            big.push_str("山田,太郎,やまだ,たろう,1990-04-01,男性,,,,\r\n");
        }
        assert_eq!(
            parse_file(big.as_bytes(), &ctx()),
            Err(FileError::TooManyRows)
        );
    }

    #[test]
    fn cp932_files_are_read() {
        let text = format!("{HEADER}\r\n山田,太郎,やまだ,たろう,1990-04-01,男性,,,,\r\n");
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let parsed = parse_file(&bytes, &ctx()).unwrap();
        assert_eq!(parsed.rows[0].profile.last_name.as_str(), "山田");
    }

    #[test]
    fn exports_are_formula_safe_and_read_back() {
        let input = RecipientInput {
            last_name: "=HYPERLINK(\"x\")".into(),
            first_name: "太郎".into(),
            last_name_kana: "やまだ".into(),
            first_name_kana: "たろう".into(),
            birth_date: "1990-04-01".into(),
            gender: "male".into(),
            service_type: "life_care".into(),
            address: "@東京都".into(),
            ..RecipientInput::default()
        };
        let out = export(&[ExportRow {
            id: Uuid::nil(),
            status: RecipientStatus::Active,
            end_date: String::new(),
            input,
            staff_emails: vec![],
            plan: [
                "1".into(),
                "アセスメント".into(),
                "2026-05-31".into(),
                String::new(),
            ],
        }]);
        let text = std::str::from_utf8(&out).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(text.contains(",'@東京都,"));
        assert!(text.ends_with("\r\n"));
        assert_eq!(formula_safe("-1"), "'-1");
        assert_eq!(formula_safe("03-1234"), "03-1234");
        // The export's own columns are accepted (and skipped) by the import.
        let parsed = parse_file(&out, &ctx()).unwrap();
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors); // the '= name is not a name
    }
}

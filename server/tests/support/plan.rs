//! Plan cycles and documents for tests: recipients, real small PDFs, uploads as the browser sends
//! them (multipart with `meta` first), and an S3-compatible server (s3s-fs) in-process.

use super::{Browser, TEST_ORIGIN};
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
};
use uuid::Uuid;

pub const S3_ACCESS_KEY: &str = "test-access-key";
pub const S3_SECRET_KEY: &str = "test-secret-key-0123456789";
pub const S3_BUCKET: &str = "documents";

/// A recipient of `service_type` with a contract date and, for a migrated plan, the 交付日 of
/// the current plan.
pub fn recipient(last: &str, service_type: &str, contract: &str, delivered: Option<&str>) -> Value {
    json!({
        "last_name": last, "first_name": "太郎",
        "last_name_kana": "やまだ", "first_name_kana": "たろう",
        "birth_date": "1990-04-01", "gender": "male", "service_type": service_type,
        "contract_date": contract, "address": "東京都新宿区西新宿1-1-1",
        "form_of_residence": "home_with_family", "means_of_transportation": "walk",
        "tel": "03-1234-5678",
        "emergency_contacts": [{"last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ",
                                "first_name_kana": "はなこ", "relationship": "母", "tel": "090-1234-5678"}],
        "disability_or_disease_name": "知的障害", "livelihood_protection": "not_receiving",
        "current_plan_delivered_date": delivered.unwrap_or(""),
    })
}

pub async fn create_recipient(browser: &Browser, input: Value) -> Uuid {
    let r = browser
        .post(
            "/api/recipients/create",
            json!({"input": input, "confirm_duplicate": true}),
        )
        .await;
    let body: Value = r.json().await.unwrap();
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .parse()
        .unwrap()
}

/// A valid one-page PDF whose page says `text` (ASCII), with a correct cross-reference table.
pub fn pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 20 100 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `POST /api/documents/upload` as the plan page sends it.
pub async fn upload(
    browser: &Browser,
    meta: Value,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .part(
            "meta",
            reqwest::multipart::Part::text(meta.to_string())
                .mime_str("application/json")
                .unwrap(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(file_name.to_owned())
                .mime_str("application/pdf")
                .unwrap(),
        );
    browser
        .client
        .post(browser.url("/api/documents/upload"))
        .header("origin", TEST_ORIGIN)
        .header("x-csrf-token", &browser.csrf)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn plan(browser: &Browser, recipient: Uuid) -> Value {
    let r = browser
        .get(&format!("/api/plan?recipient_id={recipient}"))
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The latest cycle of a plan page.
pub fn latest(plan: &Value) -> &Value {
    plan["cycles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["is_latest"] == true)
        .expect("a latest cycle")
}

/// A completion form with `date` and everything any step asks for (each step reads its own).
pub fn completion(date: &str, staff: Uuid) -> Value {
    json!({"date": date, "interview_done": true, "performed_by": staff.to_string(),
           "participants": "山田、佐藤", "handed_over": true,
           "counselling_delivered_date": date})
}

/// Uploads a PDF for the latest cycle's current `step` and completes it; the answer's JSON.
pub async fn complete_with_upload(
    browser: &Browser,
    recipient: Uuid,
    step: &str,
    date: &str,
    staff: Uuid,
) -> (u16, Value) {
    let page = plan(browser, recipient).await;
    let cycle = latest(&page)["id"].as_str().unwrap().to_owned();
    let meta = json!({"recipient_id": recipient, "cycle_id": cycle, "doc_type": doc_type(step),
                      "completion": completion(date, staff)});
    let r = upload(browser, meta, &format!("{step}.pdf"), pdf(step)).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

pub fn doc_type(step: &str) -> &'static str {
    match step {
        "assessment" => "assessment_sheet",
        "draft_plan" => "draft_plan_pdf",
        "staff_meeting" => "staff_meeting_minutes",
        "final_plan_signed" => "final_plan_signed_pdf",
        _ => "monitoring_report_pdf",
    }
}

/// 「同意を記録」 on the latest cycle's current draft.
pub async fn consent(browser: &Browser, recipient: Uuid, date: &str) -> (u16, Value) {
    let page = plan(browser, recipient).await;
    let cycle = latest(&page)["id"].as_str().unwrap().to_owned();
    let r = browser
        .post(
            "/api/plan/consent",
            json!({"cycle_id": cycle, "input": {"consent_date": date, "consenter_name": "山田 太郎",
                   "consenter_relation": "self", "method": "paper"}}),
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// An S3-compatible server on a random port: s3s (real SigV4 and presigned-URL checks) over
/// s3s-fs (objects as files), serving the bucket [`S3_BUCKET`].
pub struct S3Server {
    pub addr: SocketAddr,
    root: std::path::PathBuf,
    names: Arc<Mutex<HashMap<String, String>>>,
}

impl S3Server {
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The keys of every object the server holds, sorted.
    pub fn objects(&self) -> Vec<String> {
        let names = self.names.lock().unwrap();
        let mut keys: Vec<String> = names
            .iter()
            .filter(|(short, _)| self.root.join(S3_BUCKET).join(short.as_str()).is_file())
            .map(|(_, key)| key.clone())
            .collect();
        keys.sort();
        keys
    }

    /// The bytes of object `key`.
    pub fn read(&self, key: &str) -> Vec<u8> {
        std::fs::read(self.root.join(S3_BUCKET).join(short_key(key))).unwrap()
    }
}

/// s3s-fs keeps an object's metadata in one file whose name holds the whole key in base64,
/// which passes the file-name limit for keys longer than about 170 bytes (ours are ~230: ids
/// only, as SPEC §7.2 lays them out; S3 itself takes 1024). The test server therefore files each
/// object under the SHA-256 of its key; requests, signatures and presigned URLs still use the
/// real key.
fn short_key(key: &str) -> String {
    let hash = app::ssr::crypto::sha256(key.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("k/{hex}")
}

struct ShortKeys {
    inner: s3s_fs::FileSystem,
    names: Arc<Mutex<HashMap<String, String>>>,
}

impl ShortKeys {
    fn short(&self, key: &str) -> String {
        let short = short_key(key);
        self.names
            .lock()
            .unwrap()
            .insert(short.clone(), key.to_owned());
        short
    }
}

#[async_trait::async_trait]
impl s3s::S3 for ShortKeys {
    async fn put_object(
        &self,
        mut req: s3s::S3Request<s3s::dto::PutObjectInput>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::dto::PutObjectOutput>> {
        req.input.key = self.short(&req.input.key);
        self.inner.put_object(req).await
    }

    async fn get_object(
        &self,
        mut req: s3s::S3Request<s3s::dto::GetObjectInput>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::dto::GetObjectOutput>> {
        req.input.key = self.short(&req.input.key);
        self.inner.get_object(req).await
    }

    async fn head_object(
        &self,
        mut req: s3s::S3Request<s3s::dto::HeadObjectInput>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::dto::HeadObjectOutput>> {
        req.input.key = self.short(&req.input.key);
        self.inner.head_object(req).await
    }

    async fn delete_object(
        &self,
        mut req: s3s::S3Request<s3s::dto::DeleteObjectInput>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::dto::DeleteObjectOutput>> {
        req.input.key = self.short(&req.input.key);
        self.inner.delete_object(req).await
    }

    async fn list_objects_v2(
        &self,
        mut req: s3s::S3Request<s3s::dto::ListObjectsV2Input>,
    ) -> s3s::S3Result<s3s::S3Response<s3s::dto::ListObjectsV2Output>> {
        let prefix = req.input.prefix.take().unwrap_or_default();
        req.input.prefix = Some("k/".to_owned());
        let mut response = self.inner.list_objects_v2(req).await?;
        let names = self.names.lock().unwrap().clone();
        let contents: Vec<s3s::dto::Object> = response
            .output
            .contents
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|mut object| {
                let key = names.get(object.key.as_deref()?)?.clone();
                key.starts_with(&prefix).then(|| {
                    object.key = Some(key);
                    object
                })
            })
            .collect();
        response.output.key_count = Some(contents.len() as i32);
        response.output.prefix = Some(prefix);
        response.output.contents = Some(contents);
        Ok(response)
    }
}

/// Starts the test S3 server with its files under `root`.
pub async fn start_s3(root: &std::path::Path) -> S3Server {
    use hyper_util::rt::{TokioExecutor, TokioIo};
    use hyper_util::server::conn::auto::Builder;
    std::fs::create_dir_all(root.join(S3_BUCKET)).unwrap();
    let names = Arc::new(Mutex::new(HashMap::new()));
    let fs = ShortKeys {
        inner: s3s_fs::FileSystem::new(root).unwrap(),
        names: names.clone(),
    };
    let mut builder = s3s::service::S3ServiceBuilder::new(fs);
    builder.set_auth(s3s::auth::SimpleAuth::from_single(
        S3_ACCESS_KEY,
        S3_SECRET_KEY,
    ));
    let service = builder.build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            let service = service.clone();
            tokio::spawn(async move {
                let _ = Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(socket), service)
                    .await;
            });
        }
    });
    S3Server {
        addr,
        root: root.to_owned(),
        names,
    }
}

/// The configuration that points the app at an S3 endpoint.
pub fn s3_vars(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("KK_STORAGE", "s3".to_owned()),
        ("KK_S3_ENDPOINT", endpoint.to_owned()),
        ("KK_S3_REGION", "us-east-1".to_owned()),
        ("KK_S3_BUCKET", S3_BUCKET.to_owned()),
        ("KK_S3_ACCESS_KEY_ID", S3_ACCESS_KEY.to_owned()),
        ("KK_S3_SECRET_ACCESS_KEY", S3_SECRET_KEY.to_owned()),
    ]
}

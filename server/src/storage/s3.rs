//! Documents in S3 or an S3-compatible server, through aws-sdk-s3 (SPEC §7.2): every PutObject
//! asks for server-side encryption (`AES256`, or `aws:kms` with the configured key) and stores
//! `application/pdf` with an inline disposition; links are presigned GETs with the response
//! content type and disposition fixed, signed offline for the public endpoint browsers use.
//!
//! TLS is rustls with ring (the crypto provider the rest of the server already uses), via
//! aws-smithy-http-client, instead of the SDK's default aws-lc build.

use crate::config::{S3Config, S3Encryption};
use app::ssr::storage::{Disposition, DocumentStorage, StorageError, content_disposition};
use aws_sdk_s3::{
    Client,
    config::{BehaviorVersion, Credentials, Region},
    presigning::PresigningConfig,
    primitives::ByteStream,
    types::ServerSideEncryption,
};
use futures::future::BoxFuture;
use secrecy::ExposeSecret;
use std::{fmt, path::Path, time::Duration};

pub struct S3Storage {
    client: Client,
    /// Signs links for the endpoint browsers reach (may differ from the server's).
    presigner: Client,
    bucket: String,
    encryption: S3Encryption,
    origin: String,
}

impl fmt::Debug for S3Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Storage")
            .field("bucket", &self.bucket)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

fn client(config: &S3Config, endpoint: Option<&url::Url>) -> Client {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let credentials = Credentials::new(
        config.access_key_id.clone(),
        config.secret_access_key.expose_secret().to_owned(),
        None,
        None,
        "keikakun-config",
    );
    let mut builder = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .http_client(http)
        .region(Region::new(config.region.clone()))
        .credentials_provider(credentials)
        .force_path_style(config.force_path_style)
        // Checksums only where S3 requires them: S3-compatible servers do not all take the
        // streamed (aws-chunked) checksum trailers the SDK sends by default.
        .request_checksum_calculation(aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired)
        .response_checksum_validation(aws_sdk_s3::config::ResponseChecksumValidation::WhenRequired);
    if let Some(endpoint) = endpoint {
        builder = builder.endpoint_url(endpoint.as_str().trim_end_matches('/'));
    }
    Client::from_conf(builder.build())
}

impl S3Storage {
    pub fn new(config: &S3Config) -> Self {
        let public = config.public_endpoint.as_ref().or(config.endpoint.as_ref());
        let origin = match public {
            Some(url) => url.origin().ascii_serialization(),
            None => format!(
                "https://{}.s3.{}.amazonaws.com",
                config.bucket, config.region
            ),
        };
        Self {
            client: client(config, config.endpoint.as_ref()),
            presigner: client(config, public),
            bucket: config.bucket.clone(),
            encryption: config.encryption.clone(),
            origin,
        }
    }

    /// The origin links point to (the CSP `frame-src` of the preview).
    pub fn origin(&self) -> String {
        self.origin.clone()
    }
}

/// The SDK's error with its source chain, for the log (never a key: keys hold ids only anyway).
fn failed<E: std::error::Error>(operation: &'static str) -> impl Fn(E) -> StorageError {
    move |e| {
        let mut detail = e.to_string();
        let mut source = e.source();
        while let Some(cause) = source {
            detail.push_str(": ");
            detail.push_str(&cause.to_string());
            source = cause.source();
        }
        StorageError::new(operation, detail)
    }
}

impl DocumentStorage for S3Storage {
    fn put<'a>(
        &'a self,
        key: &'a str,
        path: &'a Path,
        file_name: &'a str,
    ) -> BoxFuture<'a, Result<(), StorageError>> {
        Box::pin(async move {
            let body = ByteStream::from_path(path).await.map_err(failed("put"))?;
            let mut put = self
                .client
                .put_object()
                .bucket(&self.bucket)
                .key(key)
                .body(body)
                .content_type("application/pdf")
                .content_disposition(content_disposition(Disposition::Inline, file_name));
            put = match &self.encryption {
                S3Encryption::Aes256 => put.server_side_encryption(ServerSideEncryption::Aes256),
                S3Encryption::Kms { key_id } => put
                    .server_side_encryption(ServerSideEncryption::AwsKms)
                    .ssekms_key_id(key_id),
            };
            put.send().await.map_err(failed("put"))?;
            Ok(())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>> {
        Box::pin(async move {
            // S3 answers a missing key with success too.
            self.client
                .delete_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map_err(failed("delete"))?;
            Ok(())
        })
    }

    fn link<'a>(
        &'a self,
        key: &'a str,
        disposition: Disposition,
        file_name: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>> {
        Box::pin(async move {
            let config = PresigningConfig::expires_in(ttl).map_err(failed("link"))?;
            let presigned = self
                .presigner
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .response_content_type("application/pdf")
                .response_content_disposition(content_disposition(disposition, file_name))
                .presigned(config)
                .await
                .map_err(failed("link"))?;
            Ok(presigned.uri().to_owned())
        })
    }

    fn list<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Vec<String>, StorageError>> {
        Box::pin(async move {
            let mut keys = Vec::new();
            let mut pages = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(failed("list"))?;
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| o.key().map(str::to_owned)),
                );
            }
            keys.sort();
            Ok(keys)
        })
    }
}

//! TEMPORARY: replaced by psa_core::http once it lands.
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use url::Url;

use crate::client::RateLimit;
use crate::request::Request;

pub(crate) struct TransportConfig {
    pub(crate) api: Url,
    pub(crate) token_url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) scope: String,
    pub(crate) rate_limit: RateLimit,
}

pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

pub(crate) struct Transport {
    cfg: TransportConfig,
    http: reqwest::Client,
    token: Mutex<Option<String>>,
}

pub(crate) fn validate(url: &str, what: &str) -> Result<Url> {
    Url::parse(url).map_err(|e| Error::config(format!("halo {what} {url:?}: {e}")))
}

impl Transport {
    #[allow(clippy::unnecessary_wraps)]
    pub(crate) fn new(cfg: TransportConfig) -> Result<Transport> {
        Ok(Transport { cfg, http: reqwest::Client::new(), token: Mutex::new(None) })
    }
    async fn token(&self, refresh: bool) -> Result<String> {
        let mut t = self.token.lock().await;
        if refresh { *t = None; }
        if let Some(t) = &*t { return Ok(t.clone()); }
        let r = self.http.post(self.cfg.token_url.clone()).form(&[
            ("grant_type", "client_credentials"), ("client_id", self.cfg.client_id.as_str()),
            ("client_secret", self.cfg.client_secret.expose_secret()), ("scope", self.cfg.scope.as_str())]).send().await
            .map_err(|e| Error::new(ErrorKind::Transport, "token").with_source(e))?;
        let status = r.status();
        let body = r.bytes().await.map_err(|e| Error::new(ErrorKind::Transport, "token").with_source(e))?;
        if !status.is_success() {
            return Err(Error::new(ErrorKind::Unauthorized, "token request failed").with_vendor(Vendor::Halo).with_http(status, &HeaderMap::new(), &body));
        }
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| Error::new(ErrorKind::Decode, "token").with_source(e))?;
        let tok = v["access_token"].as_str().unwrap_or_default().to_owned();
        *t = Some(tok.clone());
        Ok(tok)
    }
    pub(crate) async fn send(&self, req: Request) -> Result<Response> {
        let _ = &self.cfg.rate_limit;
        let mut refreshed = false;
        loop {
            let token = self.token(false).await?;
            let (method, path, query, body) = req.clone().into_parts();
            let mut url = self.cfg.api.join(&path).map_err(|e| Error::invalid_input(e.to_string()))?;
            { let mut q = url.query_pairs_mut(); for (k, v) in &query { q.append_pair(k, v); } }
            if query.is_empty() { url.set_query(None); }
            let mut rb = self.http.request(method, url).bearer_auth(token);
            if let Some(b) = body { rb = rb.json(&b); }
            let r = rb.send().await.map_err(|e| Error::new(ErrorKind::Transport, "send").with_source(e))?;
            let status = r.status();
            let headers = r.headers().clone();
            let body = r.bytes().await.map_err(|e| Error::new(ErrorKind::Transport, "body").with_source(e))?;
            if status == StatusCode::UNAUTHORIZED && !refreshed { refreshed = true; self.token(true).await?; continue; }
            if !status.is_success() {
                let kind = match status.as_u16() { 404 => ErrorKind::NotFound, 429 => ErrorKind::RateLimited, 401 => ErrorKind::Unauthorized, 403 => ErrorKind::Forbidden, _ => ErrorKind::Api };
                let mut e = Error::new(kind, "request failed").with_vendor(Vendor::Halo).with_http(status, &headers, &body);
                if let Some(api) = crate::error::parse_error_body(&body) { e = e.with_api_body(api); }
                return Err(e);
            }
            return Ok(Response { status, headers, body });
        }
    }
}

//! How one request flows: auth → send → classify → retry with backoff → decode.
//! Written once; compiled as blocking and as async code.

use serde::de::DeserializeOwned;

use super::client::Client;
use super::maybe_async;
use super::transport::{HttpResponse, Transport};
use crate::auth::{Credentials, Secret, TokenResponse};
use crate::error::{Error, decode_json as decode};
use crate::request::{Body, HttpRequest, Method, RequestSpec, append_query};
use crate::retry::parse_retry_after;
use crate::trace::OperationSpan;

/// What one successful exchange hands back: the response with its body unread, or (when a
/// read limit was given) just the body, read within the same attempt, and how many attempts
/// it took.
enum Exchanged {
    Response(HttpResponse),
    Body { bytes: Vec<u8>, attempts: u32 },
}

impl<T: Transport> Client<T> {
    /// Sends `spec` until it succeeds or the retry policy gives up; returns the 2xx
    /// response with its body unread (for streaming).
    #[maybe_async]
    pub(crate) async fn execute(&self, spec: &RequestSpec) -> Result<HttpResponse, Error> {
        Ok(match self.exchange(spec, None).await? {
            Exchanged::Response(resp) => resp,
            // Not produced without a read limit; if it were, the bytes are the body.
            Exchanged::Body { bytes, .. } => HttpResponse {
                status: 200,
                headers: Vec::new(),
                body: super::ResponseBody::from_bytes(bytes),
            },
        })
    }

    /// Sends `spec` and reads the body (at most `limit` bytes) within the same attempt, so a
    /// connection cut mid-body is retried like any other transient failure. Returns the body
    /// and the number of attempts made.
    #[maybe_async]
    pub(crate) async fn buffered(
        &self,
        spec: &RequestSpec,
        limit: u64,
    ) -> Result<(Vec<u8>, u32), Error> {
        match self.exchange(spec, Some(limit)).await? {
            Exchanged::Body { bytes, attempts } => Ok((bytes, attempts)),
            // Not produced with a read limit; if it were, read the body now.
            Exchanged::Response(resp) => Ok((resp.body.read_limited(limit).await?, 1)),
        }
    }

    /// The retry loop shared by every operation.
    #[maybe_async]
    async fn exchange(
        &self,
        spec: &RequestSpec,
        read_limit: Option<u64>,
    ) -> Result<Exchanged, Error> {
        let settings = &self.inner.settings;
        let policy = match self.options.max_retries {
            Some(n) => settings.retry.clone().max_retries(n),
            None => settings.retry.clone(),
        };
        let url = self.url(spec);
        let span = OperationSpan::new(spec);
        let mut token = match self.bearer(None).await {
            Ok(token) => token,
            Err(err) => {
                span.failed(&err);
                return Err(err);
            }
        };
        let mut refreshed = false;
        let mut retries = 0u32;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let request = self.http_request(spec, &url, &token);
            let err = match self.inner.transport.send(request).await {
                Ok(resp) if (200..300).contains(&resp.status) => match read_limit {
                    None => {
                        span.attempt(attempts, Some(resp.status), None);
                        return Ok(Exchanged::Response(resp));
                    }
                    Some(limit) => {
                        let status = resp.status;
                        match resp.body.read_limited(limit).await {
                            Ok(bytes) => {
                                span.attempt(attempts, Some(status), None);
                                return Ok(Exchanged::Body { bytes, attempts });
                            }
                            Err(err) => err,
                        }
                    }
                },
                Ok(resp) => self.api_error(resp).await,
                Err(err) => err,
            };
            span.attempt(attempts, err.status(), Some(&err));
            // A 401 with OAuth credentials: the token may have been revoked or expired
            // early. Fetch a new one once and try again; this is not a retry.
            if err.status() == Some(401)
                && self.is_oauth()
                && !refreshed
                && spec.body.is_rewindable()
            {
                refreshed = true;
                token = self.bearer(Some(&token)).await?;
                continue;
            }
            // A reader or stream body went with the failed attempt: it cannot be re-sent.
            let delay = match spec.body.is_rewindable() {
                true => policy.next_delay(retries, &err, spec.idempotent),
                false => None,
            };
            match delay {
                Some(delay) => {
                    retries += 1;
                    super::sleep(delay).await;
                }
                None => {
                    let err = err.with_operation(spec.operation).with_attempts(attempts);
                    span.failed(&err);
                    return Err(err);
                }
            }
        }
    }

    /// The request URL with the per-handle extra query pairs appended.
    fn url(&self, spec: &RequestSpec) -> String {
        let mut url = spec.url(&self.inner.settings.environment);
        let extra = self
            .options
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()));
        append_query(&mut url, extra, !spec.query.is_empty());
        url
    }

    /// Sends `spec` and decodes a JSON body into `R`.
    #[maybe_async]
    pub(crate) async fn json<R: DeserializeOwned>(&self, spec: RequestSpec) -> Result<R, Error> {
        let (body, attempts) = self
            .buffered(&spec, self.inner.settings.max_json_bytes)
            .await?;
        decode(&body).map_err(|e| e.with_operation(spec.operation).with_attempts(attempts))
    }

    /// Sends `spec` and returns a text body.
    #[maybe_async]
    pub(crate) async fn text(&self, spec: RequestSpec) -> Result<String, Error> {
        let (body, _) = self
            .buffered(&spec, self.inner.settings.max_json_bytes)
            .await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends `spec` and returns a binary body.
    #[maybe_async]
    pub(crate) async fn bytes(&self, spec: RequestSpec) -> Result<Vec<u8>, Error> {
        let (body, _) = self
            .buffered(&spec, self.inner.settings.max_download_bytes)
            .await?;
        Ok(body)
    }

    /// Sends `spec` and discards the (empty) body.
    #[maybe_async]
    pub(crate) async fn empty(&self, spec: RequestSpec) -> Result<(), Error> {
        // Read (a little of) the body so the connection can be reused.
        self.buffered(&spec, 64 * 1024).await?;
        Ok(())
    }

    fn http_request(&self, spec: &RequestSpec, url: &str, token: &Secret) -> HttpRequest {
        let settings = &self.inner.settings;
        let mut headers = Vec::with_capacity(4 + self.options.headers.len());
        headers.push((
            "authorization".to_owned(),
            format!("Bearer {}", token.expose()),
        ));
        headers.push(("user-agent".to_owned(), settings.user_agent.clone()));
        headers.push((
            "accept".to_owned(),
            "application/json, application/problem+json, */*;q=0.8".to_owned(),
        ));
        if let Some(ct) = spec.body.content_type() {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        for (k, v) in &self.options.headers {
            if !k.eq_ignore_ascii_case("authorization") {
                headers.push((k.to_ascii_lowercase(), v.clone()));
            }
        }
        HttpRequest {
            method: spec.method,
            url: url.to_owned(),
            headers,
            body: spec.body.clone(),
            timeout: self.options.timeout.unwrap_or(settings.timeout),
            connect_timeout: settings.connect_timeout,
        }
    }

    #[maybe_async]
    async fn api_error(&self, resp: HttpResponse) -> Error {
        let retry_after = resp.header("retry-after").and_then(parse_retry_after);
        let status = resp.status;
        match resp
            .body
            .read_limited(self.inner.settings.max_json_bytes)
            .await
        {
            Ok(body) => Error::api(status, &body, retry_after),
            Err(_) => Error::api(status, b"", retry_after),
        }
    }

    fn is_oauth(&self) -> bool {
        matches!(
            self.inner.settings.credentials,
            Some(Credentials::ClientCredentials { .. })
        )
    }

    /// The bearer token to send: the static one, or a cached / freshly fetched OAuth token.
    /// `rejected` is a token the server just refused, which must not be reused.
    #[maybe_async]
    async fn bearer(&self, rejected: Option<&Secret>) -> Result<Secret, Error> {
        let (client_id, client_secret, scope) = match &self.inner.settings.credentials {
            Some(Credentials::Token(t)) => return Ok(t.clone()),
            Some(Credentials::ClientCredentials {
                client_id,
                client_secret,
                scope,
            }) => (client_id, client_secret, scope),
            None => return Err(Error::config("no credentials configured")),
        };
        if let Some(t) = self.inner.tokens.fresh(rejected) {
            return Ok(t);
        }
        // Single flight: one caller fetches, the others wait for the lock and then find
        // the fresh token in the cache.
        let _guard = super::lock(&self.inner.refresh).await;
        if let Some(t) = self.inner.tokens.fresh(rejected) {
            return Ok(t);
        }
        let token = self.fetch_token(client_id, client_secret, scope).await?;
        Ok(token)
    }

    #[maybe_async]
    async fn fetch_token(
        &self,
        client_id: &str,
        client_secret: &Secret,
        scope: &str,
    ) -> Result<Secret, Error> {
        let settings = &self.inner.settings;
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("scope", scope)
            .finish();
        let mut retries = 0u32;
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let request = HttpRequest {
                method: Method::Post,
                url: settings.environment.token_url().to_owned(),
                headers: vec![
                    (
                        "authorization".into(),
                        Credentials::basic_header(client_id, client_secret),
                    ),
                    ("user-agent".into(), settings.user_agent.clone()),
                    ("accept".into(), "application/json".into()),
                    (
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ),
                ],
                body: Body::Bytes {
                    content_type: "application/x-www-form-urlencoded".into(),
                    data: form.as_bytes().into(),
                },
                timeout: settings.timeout,
                connect_timeout: settings.connect_timeout,
            };
            let err = match self.inner.transport.send(request).await {
                Ok(resp) if (200..300).contains(&resp.status) => {
                    let body = resp.body.read_limited(64 * 1024).await?;
                    // The body holds the token: never echo it into an error.
                    let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
                        Error::new(crate::error::ErrorKind::Decode {
                            path: String::new(),
                            message: format!("token response is not valid: {:?}", e.classify()),
                            snippet: String::new(),
                        })
                        .with_operation("fetch_token")
                    })?;
                    let token = Secret::new(&parsed.access_token);
                    self.inner.tokens.store(token.clone(), parsed.expires_in);
                    return Ok(token);
                }
                Ok(resp) => self.api_error(resp).await,
                Err(err) => err,
            };
            // A token request is harmless to repeat.
            match settings.retry.next_delay(retries, &err, true) {
                Some(delay) => {
                    retries += 1;
                    super::sleep(delay).await;
                }
                None => return Err(err.with_operation("fetch_token").with_attempts(attempts)),
            }
        }
    }
}

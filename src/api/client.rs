//! The client and its builder. Written once; compiled as `Client` (blocking) and
//! `AsyncClient` (async).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::dem::Dem;
use super::sign::Sign;
use super::transport::Transport;
use crate::auth::{Credentials, Secret, TokenCache};
use crate::config::{RequestOptions, Settings};
use crate::environment::Environment;
use crate::error::Error;
use crate::retry::RetryPolicy;

#[doc = concat!("The ", flavour!(), " client for Signicat's Sign and DEM APIs.")]
///
/// Cheap to clone: clones share one connection pool and one token cache. `Send + Sync`.
///
#[doc = example!("", "sign().get_signing_session(\"session-id\")")]
pub struct Client<T: Transport = super::DefaultTransport> {
    pub(crate) inner: Arc<Inner<T>>,
    pub(crate) options: Arc<RequestOptions>,
}

pub(crate) struct Inner<T> {
    pub(crate) transport: T,
    pub(crate) settings: Settings,
    pub(crate) tokens: TokenCache,
    pub(crate) refresh: super::RefreshLock,
}

impl<T: Transport> Clone for Client<T> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            options: Arc::clone(&self.options),
        }
    }
}

impl<T: Transport> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Settings' Debug masks credentials (Secret prints `***`).
        f.debug_struct("Client")
            .field("settings", &self.inner.settings)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for Signicat's production endpoints with a bearer token.
    ///
    /// Fails only if the HTTP stack cannot be set up (TLS configuration).
    ///
    #[doc = example!("", "dem().ping()")]
    pub fn new(token: impl AsRef<str>) -> Result<Self, Error> {
        Client::builder().token(token).build()
    }

    /// A builder for every setting: credentials, environment, timeouts, retries, limits.
    ///
    #[doc = builder_example!()]
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            settings: Settings::new(flavour!()),
        }
    }

    /// A client configured from the environment: `SIGNICAT_API_TOKEN`, or
    /// `SIGNICAT_CLIENT_ID` + `SIGNICAT_CLIENT_SECRET` (client credentials); optional
    /// `SIGNICAT_BASE_URL` (default `https://api.signicat.com`, with the Sign API at
    /// `{base}/sign`, DEM at `{base}/dem`, tokens at `{base}/auth/open/connect/token`).
    ///
    /// A missing variable is an error that names it.
    ///
    #[doc = from_env_example!()]
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let mut builder = Client::builder();
        if let Some(base) = var("SIGNICAT_BASE_URL") {
            builder = builder.environment(Environment::local(&base)?);
        }
        builder = match (
            var("SIGNICAT_API_TOKEN"),
            var("SIGNICAT_CLIENT_ID"),
            var("SIGNICAT_CLIENT_SECRET"),
        ) {
            (Some(token), _, _) => builder.token(token),
            (None, Some(id), Some(secret)) => builder.client_credentials(id, secret),
            (None, Some(_), None) => {
                return Err(Error::config(
                    "SIGNICAT_CLIENT_SECRET is not set (SIGNICAT_CLIENT_ID is)",
                ));
            }
            (None, None, Some(_)) => {
                return Err(Error::config(
                    "SIGNICAT_CLIENT_ID is not set (SIGNICAT_CLIENT_SECRET is)",
                ));
            }
            (None, None, None) => {
                return Err(Error::config(
                    "SIGNICAT_API_TOKEN is not set (nor SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET)",
                ));
            }
        };
        builder.build()
    }
}

impl<T: Transport> Client<T> {
    /// The Sign API: documents, document collections, signing sessions.
    ///
    #[doc = example!("", "sign().get_document_info(\"document-id\")")]
    pub fn sign(&self) -> Sign<'_, T> {
        Sign { client: self }
    }

    /// The DEM API: evidence records, queries, expiry, reports.
    ///
    #[doc = example!("", "dem().get_collection_stats()")]
    pub fn dem(&self) -> Dem<'_, T> {
        Dem { client: self }
    }

    /// A clone whose requests use `options` (timeout, retries, extra headers and query
    /// pairs). It shares the connection pool and token cache with `self`.
    ///
    #[doc = example!(
        "use std::time::Duration;\nlet client = client.with_options(signicat_dem::RequestOptions::new().timeout(Duration::from_secs(5)));\n",
        "dem().ping()"
    )]
    pub fn with_options(&self, options: RequestOptions) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            options: Arc::new(options),
        }
    }

    /// The environment this client talks to.
    ///
    #[doc = example!("println!(\"{}\", client.environment().sign_base());\n", "dem().ping()")]
    pub fn environment(&self) -> &Environment {
        &self.inner.settings.environment
    }
}

#[doc = concat!("Builds a ", flavour!(), " [`Client`].")]
///
#[doc = builder_example!()]
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    settings: Settings,
}

impl ClientBuilder {
    /// Authenticate with a bearer token you obtained yourself.
    ///
    #[doc = builder_example!()]
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        self.settings.credentials = Some(Credentials::Token(Secret::new(token)));
        self
    }

    /// Authenticate with OAuth2 client credentials: tokens are fetched from the
    /// environment's token URL, cached, refreshed ahead of expiry, and fetched once for
    /// many concurrent calls. The scope defaults to `signicat-api`.
    ///
    #[doc = builder_example!()]
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl AsRef<str>,
    ) -> Self {
        self.settings.credentials = Some(Credentials::ClientCredentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            scope: "signicat-api".into(),
        });
        self
    }

    /// The OAuth2 scope to request (with [`ClientBuilder::client_credentials`]).
    ///
    #[doc = builder_example!()]
    pub fn scope(mut self, new_scope: impl Into<String>) -> Self {
        if let Some(Credentials::ClientCredentials { scope, .. }) = &mut self.settings.credentials {
            *scope = new_scope.into();
        }
        self
    }

    /// Where the APIs live (default: production).
    ///
    #[doc = builder_example!()]
    pub fn environment(mut self, environment: Environment) -> Self {
        self.settings.environment = environment;
        self
    }

    /// Time limit for one attempt (default 60 s). The async client bounds the whole
    /// attempt, from connecting to the end of the body; the blocking client bounds each phase
    /// (sending the request, sending the body, waiting for the answer, reading the body) and
    /// every single read or write, so a stalled server fails after this limit in both.
    /// Streaming a download that takes longer than this needs a larger value.
    ///
    #[doc = builder_example!()]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Time limit for establishing a connection (default 10 s).
    ///
    #[doc = builder_example!()]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The retry policy (default: 2 retries, see [`RetryPolicy`]).
    ///
    #[doc = builder_example!()]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Shorthand for the number of retries of the current policy (0 disables retries).
    ///
    #[doc = builder_example!()]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.settings.retry = self.settings.retry.max_retries(n);
        self
    }

    /// Cap on JSON and text bodies read into memory (default 16 MiB); a larger body is an
    /// error, never an out-of-memory.
    ///
    #[doc = builder_example!()]
    pub fn max_json_bytes(mut self, limit: u64) -> Self {
        self.settings.max_json_bytes = limit;
        self
    }

    /// Cap on binary bodies returned as bytes (default 512 MiB); use the `_stream`
    /// operations for anything larger.
    ///
    #[doc = builder_example!()]
    pub fn max_download_bytes(mut self, limit: u64) -> Self {
        self.settings.max_download_bytes = limit;
        self
    }

    /// Allow plain `http://` to hosts other than loopback (default: refused, since the
    /// token would travel in clear text).
    ///
    #[doc = builder_example!()]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.settings.allow_insecure_http = allow;
        self
    }

    /// Appends `suffix` to the `User-Agent` (e.g. your application's name and version).
    ///
    #[doc = builder_example!()]
    pub fn user_agent_suffix(mut self, suffix: &str) -> Self {
        self.settings.user_agent = format!("{} {suffix}", self.settings.user_agent);
        self
    }

    /// Builds the client with the default HTTP stack.
    ///
    #[doc = builder_example!()]
    pub fn build(self) -> Result<Client, Error> {
        self.check()?;
        let transport = super::DefaultTransport::new(&self.settings)?;
        Ok(self.assemble(transport))
    }

    /// Builds a client that sends every request through `transport` instead of the default
    /// HTTP stack.
    ///
    #[doc = example!(
        "",
        "dem().ping()"
    )]
    pub fn with_transport<U: Transport>(self, transport: U) -> Result<Client<U>, Error> {
        self.check()?;
        Ok(self.assemble(transport))
    }

    fn check(&self) -> Result<(), Error> {
        if self.settings.credentials.is_none() {
            return Err(Error::config(
                "no credentials: call token(…) or client_credentials(…) on the builder",
            ));
        }
        if let Some(url) = self.settings.environment.insecure_url()
            && !self.settings.allow_insecure_http
        {
            return Err(Error::config(format!(
                "refusing plain http to a non-loopback host ({url}); use https or allow_insecure_http(true)"
            )));
        }
        if let Some(Credentials::Token(t)) = &self.settings.credentials {
            let ok =
                !t.expose().is_empty() && t.expose().bytes().all(|b| (0x21..0x7f).contains(&b));
            if !ok {
                return Err(Error::invalid("token", "must be non-empty visible ASCII"));
            }
        }
        Ok(())
    }

    fn assemble<U: Transport>(self, transport: U) -> Client<U> {
        Client {
            inner: Arc::new(Inner {
                transport,
                settings: self.settings,
                tokens: TokenCache::default(),
                refresh: Default::default(),
            }),
            options: Arc::new(RequestOptions::default()),
        }
    }
}

//! `Client::from_env()` / `AsyncClient::from_env()`. One test, because it changes the
//! process environment (tests in one binary share it).

use signicat_dem::ErrorKind;

const VARS: [&str; 4] = [
    "SIGNICAT_API_TOKEN",
    "SIGNICAT_CLIENT_ID",
    "SIGNICAT_CLIENT_SECRET",
    "SIGNICAT_BASE_URL",
];

fn set(pairs: &[(&str, &str)]) {
    for v in VARS {
        // SAFETY: this binary runs a single test, so no other thread reads the environment.
        unsafe { std::env::remove_var(v) };
    }
    for (k, v) in pairs {
        // SAFETY: as above.
        unsafe { std::env::set_var(k, v) };
    }
}

fn config_error(result: Result<impl std::fmt::Debug, signicat_dem::Error>) -> String {
    let err = result.expect_err("configuration error");
    assert!(matches!(err.kind(), ErrorKind::Config { .. }), "{err:?}");
    err.to_string()
}

#[test]
fn from_env_reads_token_or_client_credentials_and_names_what_is_missing() {
    set(&[]);
    let msg = config_error(from_env());
    assert!(msg.contains("SIGNICAT_API_TOKEN"), "{msg}");

    set(&[("SIGNICAT_CLIENT_ID", "id")]);
    assert!(config_error(from_env()).contains("SIGNICAT_CLIENT_SECRET"));

    set(&[("SIGNICAT_CLIENT_SECRET", "secret-xyz")]);
    let msg = config_error(from_env());
    assert!(
        msg.contains("SIGNICAT_CLIENT_ID") && !msg.contains("secret-xyz"),
        "{msg}"
    );

    set(&[
        ("SIGNICAT_API_TOKEN", "tok"),
        ("SIGNICAT_BASE_URL", "http://127.0.0.1:9"),
    ]);
    let envs = from_env().expect("token + local base");
    for env in envs {
        assert_eq!(env.sign_base(), "http://127.0.0.1:9/sign");
        assert_eq!(
            env.token_url(),
            "http://127.0.0.1:9/auth/open/connect/token"
        );
    }

    set(&[
        ("SIGNICAT_CLIENT_ID", "id"),
        ("SIGNICAT_CLIENT_SECRET", "s"),
    ]);
    for env in from_env().expect("client credentials, production") {
        assert_eq!(env.dem_base(), "https://api.signicat.com/dem");
    }

    set(&[
        ("SIGNICAT_API_TOKEN", "tok"),
        ("SIGNICAT_BASE_URL", "http://example.com"),
    ]);
    assert!(config_error(from_env()).contains("allow_insecure_http"));

    set(&[
        ("SIGNICAT_API_TOKEN", "tok"),
        ("SIGNICAT_BASE_URL", "not a url"),
    ]);
    assert!(config_error(from_env()).contains("not a url"));
    set(&[]);
}

/// Both flavours' `from_env`, as the environments they configured.
fn from_env() -> Result<Vec<signicat_dem::Environment>, signicat_dem::Error> {
    Ok(vec![
        #[cfg(feature = "blocking")]
        signicat_dem::Client::from_env()?.environment().clone(),
        #[cfg(feature = "async")]
        signicat_dem::AsyncClient::from_env()?.environment().clone(),
    ])
}

//! Observability behind the `tracing` feature: one span per operation, one event per
//! attempt. Without the feature these calls compile to nothing.
//!
//! Recorded: operation name, method, path *template* (ids replaced by `{name}`, so no caller
//! data), attempt number, status, elapsed time. Never headers, so never the token.

use std::time::Instant;

use crate::error::Error;
use crate::request::RequestSpec;

/// The span of one operation.
pub(crate) struct OperationSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    start: Instant,
}

impl OperationSpan {
    pub(crate) fn new(spec: &RequestSpec) -> Self {
        #[cfg(not(feature = "tracing"))]
        let _ = spec;
        OperationSpan {
            #[cfg(feature = "tracing")]
            span: tracing::debug_span!(
                "signicat_dem",
                operation = spec.operation,
                method = spec.method.as_str(),
                path = %spec.template,
                attempts = tracing::field::Empty,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            ),
            start: Instant::now(),
        }
    }

    /// One attempt ended with `status` (an HTTP answer) or `error` (none).
    pub(crate) fn attempt(&self, attempt: u32, status: Option<u16>, error: Option<&Error>) {
        #[cfg(feature = "tracing")]
        {
            let elapsed_ms = self.start.elapsed().as_millis() as u64;
            self.span.record("attempts", attempt);
            if let Some(status) = status {
                self.span.record("status", status);
            }
            self.span.record("elapsed_ms", elapsed_ms);
            match error {
                None => {
                    tracing::debug!(parent: &self.span, attempt, status, elapsed_ms, "attempt succeeded")
                }
                Some(err) => {
                    tracing::debug!(parent: &self.span, attempt, status, elapsed_ms, error = %err, "attempt failed")
                }
            }
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, status, error, self.start);
    }

    /// The operation gave up.
    pub(crate) fn failed(&self, error: &Error) {
        #[cfg(feature = "tracing")]
        tracing::warn!(parent: &self.span, error = %error, "request failed");
        #[cfg(not(feature = "tracing"))]
        let _ = error;
    }
}

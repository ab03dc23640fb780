//! Runnable examples of psa-sdk.

#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod budget;
mod concurrency;
mod store;
mod tenant;
mod token_store;
mod window;

pub use budget::RedisBudget;
pub use concurrency::RedisConcurrencyLimiter;
pub use store::{OnUnavailable, RedisStore, RedisStoreBuilder};
pub use tenant::Tenant;
pub use token_store::RedisTokenStore;
pub use window::{RedisWindowLimiter, default_margin};

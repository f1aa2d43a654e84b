//! GitHub: the REST shapes the tool reads (runs, jobs, steps, workflows), tolerant of what
//! GitHub adds, and the live client: token, repository, server, retries, rate limits, logs.

pub mod act;
pub mod act_error;
pub mod actions;
pub mod actions_env;
pub mod annotations;
pub mod auth;
pub mod client;
pub mod clock;
pub mod compare;
pub mod contents;
pub mod endpoint;
pub mod error;
pub mod etags;
pub mod logs;
pub mod model;
pub mod paging;
pub mod proxy;
pub mod rate_wait;
pub mod ratelimit;
pub mod repo;
pub mod retry;
pub mod run_filter;
pub mod run_logs;
pub mod slots;
pub mod transport;

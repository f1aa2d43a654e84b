//! GitHub: the REST shapes the tool reads (runs, jobs, steps, workflows), tolerant of what
//! GitHub adds. Live access arrives with its own issue; the demo reads the same shapes.

pub mod model;

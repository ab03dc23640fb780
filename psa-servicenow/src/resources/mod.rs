//! One handle per resource. ServiceNow's Table API is one resource generic
//! over tables.

pub mod table;

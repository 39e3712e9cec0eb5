//! signicat-dem

//! # endo-ml
//!
//! The machine-learning side of UIV-TSP (paper 002, "trusted sharing of undisclosed IIoT
//! vulnerabilities"), std only, native only (never in the runtime):
//!
//! | module | what | paper |
//! |---|---|---|
//! | [`sim`] | seeded, cycle-based simulator of 2,000 security workers: honest, semi-honest, dishonest, colluding cliques, rational conspirators; access records with 11 features | sec. 3.1, 3.4, 3.5, 4.2 |
//! | [`features`] | the 11 features: order, names, meaning ([`features::FEATURES`]) | sec. 3.5.1, Table 1 |
//! | [`dataset`] | records and the SW kinds they carry, CSV, splits by SW (70/30, k-fold), normalisation, windows | sec. 4.2 |
//! | [`models`] | burn FNN (11-8-8-1), GRU RNN, 1-D CNN; Adam training; inference | sec. 3.5.1, Fig. 6, Table 4 |
//! | [`metrics`] | precision, recall, accuracy, F1 | sec. 4.2, Table 4 |
//! | [`export`] | trained FNN -> `endo-trust` fixed-point blob; fixed vs float comparison | - |
//! | [`scheme`] | UIV-TSP (beta reputation + FNN, R1-R3, traps) vs UIV-SP (no trust) | sec. 3.5, Figs. 8-11 |
//! | [`pipeline`] | the CLI commands `simulate`, `train`, `evaluate`, `export` | sec. 4.2 |
//! | [`traceability`] | traceability delay of the tracing marks (`endo_uiv::watermark`) for credentials of k bits embedded m times, under leak transformations | sec. 4.2, Fig. 12 |
//! | [`plot`], [`report`] | PNG figures (plotters) and Markdown tables | - |
//!
//! The trust maths (beta reputation, thresholds, fixed-point inference, the weight blob) is
//! `endo-trust`'s; this crate trains and evaluates, and produces the blob the chain runs.
//! Results, commands and figures: `docs/TRUST-EVALUATION.md`.
//!
//! ## Errors
//!
//! One public [`Error`]. Bad paths, malformed CSV, malformed model files and weight blobs,
//! out-of-range settings: all are errors, never panics.

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![forbid(unsafe_code)]

pub mod dataset;
mod error;
pub mod export;
pub mod features;
pub mod metrics;
pub mod models;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod scheme;
pub mod sim;
pub mod traceability;

pub use error::{Error, Result};

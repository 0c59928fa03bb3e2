//! Tests, one file per topic.

use crate::{mock::*, types::*, *};

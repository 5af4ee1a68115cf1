//! Written notices (书面告知): 受理告知书, 不予受理告知书, 转送告知, 延期告知 and 答复意见书,
//! filled from a matter with the hall's templates (`config/templates/`, or its own files).

mod fill;
mod kind;
mod save;
mod template;

pub use fill::{check_applies, fill, NotApplicable, CONFIDENTIAL_TEXT};
pub use kind::NoticeKind;
pub use save::{save, SaveError, DEFAULT_DIR};
pub use template::{NoticeTemplates, TemplateError, TEMPLATES_DIR};

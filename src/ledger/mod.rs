//! Ledger files (台账): export of the visit and matter ledgers to `.xlsx` or CSV,
//! import of a hall's existing visit ledger, and the template that shows its layout.
//! The columns are defined once, in [`crate::domain::ledger`].

pub mod export;
pub mod import;

use std::path::Path;

use crate::hall::HallError;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "无法写入文件 {path}：{message}。请检查目录是否存在、是否有写权限、文件是否正被 Excel 打开"
    )]
    Write { path: String, message: String },
    #[error("文件夹 {0} 不存在，请先建好这个文件夹，或把文件存到其他文件夹")]
    NoFolder(String),
    #[error("无法读取文件 {path}：{message}。请检查文件是否存在、是否为 .xlsx 或 .csv 格式")]
    Read { path: String, message: String },
    #[error("文件 {path} 的表头缺少必填列：{missing}。请对照 config/台账导入模板.csv 修改表头")]
    MissingColumns { path: String, missing: String },
    #[error("不认识的文件格式“{0}”，请用 .xlsx 或 .csv 文件")]
    Format(String),
    #[error(transparent)]
    Hall(#[from] HallError),
}

/// The two file formats a ledger travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    /// UTF-8 with a byte-order mark, so that Excel opens it as UTF-8.
    Csv,
}

impl FileFormat {
    pub fn parse(text: &str) -> Result<FileFormat, LedgerError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(FileFormat::Xlsx),
            "csv" => Ok(FileFormat::Csv),
            other => Err(LedgerError::Format(other.to_string())),
        }
    }

    /// The format a file's extension names.
    pub fn of_path(path: &Path) -> Result<FileFormat, LedgerError> {
        FileFormat::parse(
            path.extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default(),
        )
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> LedgerError {
    LedgerError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn read_error(path: &Path, e: impl std::fmt::Display) -> LedgerError {
    LedgerError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

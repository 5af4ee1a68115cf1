//! Writes a filled notice to a UTF-8 text file for printing.

use std::path::{Path, PathBuf};

use crate::hall::NoticeText;

/// The default folder for notices written at a desk, inside the data directory.
pub const DEFAULT_DIR: &str = "notices";

#[derive(Debug, thiserror::Error)]
#[error("无法把告知书写入 {path}：{message}。请检查这个文件夹是否存在、能否写入，或在配置 [ui] notice_dir 中改用其他文件夹")]
pub struct SaveError {
    pub path: PathBuf,
    pub message: String,
}

/// `2026-000123-受理告知书.txt`: printing the same notice again overwrites it, so the folder
/// holds the latest text of each (every issue is in the audit trail).
fn file_name(notice: &NoticeText) -> String {
    format!("{}-{}.txt", notice.matter_number, notice.kind.label())
}

/// Writes the notice into `dir` (created when missing) and returns the file's path.
pub fn save(dir: &Path, notice: &NoticeText) -> Result<PathBuf, SaveError> {
    let path = dir.join(file_name(notice));
    let failed = |e: std::io::Error| SaveError {
        path: path.clone(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    std::fs::write(&path, &notice.text).map_err(failed)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::NoticeKind;

    #[test]
    fn a_notice_is_written_under_its_number_and_kind() {
        let dir = tempfile::tempdir().unwrap();
        let notice = NoticeText {
            kind: NoticeKind::Extend,
            matter_number: "2026-000007".into(),
            text: "延期告知\n".into(),
        };
        let folder = dir.path().join("告知书");
        let path = save(&folder, &notice).unwrap();
        assert_eq!(path, folder.join("2026-000007-延期告知.txt"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "延期告知\n");
        // A file where the folder should be: the error names the path.
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "").unwrap();
        let err = save(&blocked, &notice).unwrap_err().to_string();
        assert!(err.contains("2026-000007-延期告知.txt"), "{err}");
    }
}

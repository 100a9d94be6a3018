//! The example project from `migrations/`, embedded at compile time (the first thing a visitor sees).

use schema_playground::SourceFile;

/// `(name, text)` of every file in `migrations/`; a test checks that the list matches the folder.
pub const FILES: &[(&str, &str)] = &[
    ("001_initial_schema.sql", include_str!("../../migrations/001_initial_schema.sql")),
    ("002_remove_title_from_tasks.sql", include_str!("../../migrations/002_remove_title_from_tasks.sql")),
    ("003_add_refresh_tokens.sql", include_str!("../../migrations/003_add_refresh_tokens.sql")),
    ("004_add_project_members.sql", include_str!("../../migrations/004_add_project_members.sql")),
    ("005_add_user_profile_fields.sql", include_str!("../../migrations/005_add_user_profile_fields.sql")),
    ("006_add_task_details.sql", include_str!("../../migrations/006_add_task_details.sql")),
    ("007_add_task_assignees.sql", include_str!("../../migrations/007_add_task_assignees.sql")),
    ("008_add_project_settings.sql", include_str!("../../migrations/008_add_project_settings.sql")),
    ("009_add_task_comments.sql", include_str!("../../migrations/009_add_task_comments.sql")),
    ("010_backfill_missing_owners.sql", include_str!("../../migrations/010_backfill_missing_owners.sql")),
    ("011_add_notifications_table.sql", include_str!("../../migrations/011_add_notifications_table.sql")),
    (
        "011_add_notifications_table_rollback.sql",
        include_str!("../../migrations/011_add_notifications_table_rollback.sql"),
    ),
];

/// The table the schema pane shows first.
pub const FIRST_TABLE: &str = "users";

pub fn files() -> Vec<SourceFile> {
    FILES.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embeds_every_file_of_the_example_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut on_disk: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        on_disk.sort();
        let embedded: Vec<&str> = super::FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, embedded, "add the new file to src/app/example.rs");
    }
}

//! `kb_knowledge`: [`KbKnowledge`].

use super::{Field, Reference};

table_model! {
    /// A knowledge article (`kb_knowledge`).
    KbKnowledge = "kb_knowledge" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`KB0010001`).
        number: Field,
        /// Title.
        short_description: Field,
        /// Body (HTML).
        text: Field,
        /// Workflow state (`published`, `draft`, `retired` …).
        workflow_state: Field,
        /// Knowledge base.
        kb_knowledge_base: Reference,
        /// Category.
        kb_category: Reference,
        /// Author.
        author: Reference,
        /// Active.
        active: Field,
        /// Valid to.
        valid_to: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

//! `sys_user_group`: [`SysUserGroup`].

use super::{Field, Reference};

table_model! {
    /// A group (`sys_user_group`): assignment groups are the uniform queues.
    SysUserGroup = "sys_user_group" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Description.
        description: Field,
        /// Email.
        email: Field,
        /// Manager.
        manager: Reference,
        /// Parent group.
        parent: Reference,
        /// Active.
        active: Field,
        /// Types (comma-separated `sys_user_group_type` ids).
        #[serde(rename = "type")]
        group_type: Field,
    }
}

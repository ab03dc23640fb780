//! `sys_user`: [`SysUser`].

use super::{Field, Reference};

table_model! {
    /// A user (`sys_user`): contacts (callers) and agents alike.
    SysUser = "sys_user" {
        /// `sys_id`.
        sys_id: Field,
        /// Login name.
        user_name: Field,
        /// First name.
        first_name: Field,
        /// Last name.
        last_name: Field,
        /// Full name (computed from first and last name).
        name: Field,
        /// Email.
        email: Field,
        /// Business phone.
        phone: Field,
        /// Mobile phone.
        mobile_phone: Field,
        /// Company (`core_company`).
        company: Reference,
        /// Department.
        department: Reference,
        /// Location.
        location: Reference,
        /// Title.
        title: Field,
        /// Active.
        active: Field,
        /// Locked out.
        locked_out: Field,
        /// Time zone.
        time_zone: Field,
        /// Roles (comma-separated role names).
        roles: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

//! `sc_cat_item`: [`ScCatItem`].

use super::{Field, Reference};

table_model! {
    /// A Service Catalog item (`sc_cat_item`): the uniform product.
    ScCatItem = "sc_cat_item" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Short description.
        short_description: Field,
        /// Description (HTML).
        description: Field,
        /// Price.
        price: Field,
        /// Active.
        active: Field,
        /// Category.
        category: Reference,
        /// Class.
        sys_class_name: Field,
    }
}

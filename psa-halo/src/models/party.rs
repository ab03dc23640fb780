//! Customers (Halo's clients), sites, end users and agents.

use super::common::CustomField;
use super::common::Number;
use super::macros::model;
use psa_core::Timestamp;

model! {
    /// A customer company: what Halo calls a client, its `Area` record
    /// (`/Client`).
    pub struct Customer {
        /// Client id.
        id: i64,
        /// Name.
        name: String,
        /// Top level (group of clients) id.
        toplevel_id: i64,
        /// Top level name.
        toplevel_name: String,
        /// Inactive.
        inactive: bool,
        /// Website.
        website: String,
        /// Main site id.
        main_site_id: i64,
        /// Main site name.
        main_site_name: String,
        /// Reference in the accounts package.
        accountsid: String,
        /// Notes.
        notes: String,
        /// Created.
        datecreated: Timestamp,
        /// Custom fields.
        customfields: Vec<CustomField>,
    }
}

model! {
    /// A site of a client (`/Site`).
    pub struct Site {
        /// Site id.
        id: i64,
        /// Name.
        name: String,
        /// Client id (Halo types it as a number).
        client_id: Number,
        /// Client name.
        client_name: String,
        /// Inactive.
        inactive: bool,
        /// Phone.
        phonenumber: String,
        /// Time zone (Windows name).
        timezone: String,
        /// Main contact (end user) id.
        maincontact_id: i64,
    }
}

model! {
    /// An end user (contact) of a client: Halo's `Users` record (`/Users`).
    pub struct User {
        /// User id.
        id: i64,
        /// Display name.
        name: String,
        /// First name.
        firstname: String,
        /// Surname.
        surname: String,
        /// Email.
        emailaddress: String,
        /// Phone.
        phonenumber: String,
        /// Mobile.
        mobilenumber: String,
        /// Site id (Halo types it as a number).
        site_id: Number,
        /// Site name.
        site_name: String,
        /// Client id.
        client_id: i64,
        /// Client name.
        client_name: String,
        /// Inactive.
        inactive: bool,
        /// Custom fields.
        customfields: Vec<CustomField>,
    }
}

impl User {
    /// A new end user at `site_id` named `name`.
    pub fn new(site_id: i64, name: impl Into<String>) -> Self {
        User {
            site_id: Some(Number::int(site_id)),
            name: Some(name.into()),
            ..User::default()
        }
    }
}

model! {
    /// An agent (technician): Halo's `Uname` record (`/Agent`).
    pub struct Agent {
        /// Agent id.
        id: i64,
        /// Display name.
        name: String,
        /// First name.
        firstname: String,
        /// Surname.
        surname: String,
        /// Email.
        email: String,
        /// Job title.
        jobtitle: String,
        /// Default team name.
        team: String,
        /// Disabled.
        isdisabled: bool,
        /// An API-only agent (no licence, cannot be assigned tickets).
        isapiagent: bool,
    }
}

//! Where a setting's value comes from: the TOML, an environment variable or
//! a file; secrets only from the environment or a file.

use std::fmt;
use std::path::PathBuf;

use psa_core::{Error, Result};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// Where a secret comes from: an environment variable or a file (whose
/// content, trailing newline removed, is the secret). Never the TOML itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `{ env = "NAME" }`.
    Env(String),
    /// `{ file = "/run/secrets/x" }`.
    File(PathBuf),
}

impl Source {
    /// An environment variable.
    pub fn env(name: impl Into<String>) -> Self {
        Source::Env(name.into())
    }

    /// Reads the secret. The error names the variable or file, never a value.
    pub fn read(&self, what: &str) -> Result<SecretString> {
        self.read_opt(what)?.ok_or_else(|| match self {
            Source::Env(name) => Error::config(format!(
                "{what}: the environment variable {name} is not set"
            )),
            Source::File(p) => Error::config(format!("{what}: {} is empty", p.display())),
        })
    }

    /// Reads the secret; `None` when the variable is unset or empty.
    fn read_opt(&self, what: &str) -> Result<Option<SecretString>> {
        match self {
            Source::Env(name) => Ok(std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .map(SecretString::from)),
            Source::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::config(format!("{what}: cannot read {}", path.display())).with_source(e)
                })?;
                let trimmed = text.trim_end_matches(['\r', '\n']);
                Ok((!trimmed.is_empty()).then(|| SecretString::from(trimmed.to_owned())))
            }
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Env(n) => write!(f, "environment variable {n}"),
            Source::File(p) => write!(f, "file {}", p.display()),
        }
    }
}

struct SourceVisitor {
    allow_plain: bool,
}

impl<'de> Visitor<'de> for SourceVisitor {
    type Value = Setting;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.allow_plain {
            f.write_str("a string, { env = \"NAME\" } or { file = \"PATH\" }")
        } else {
            f.write_str("{ env = \"NAME\" } or { file = \"PATH\" }")
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Setting, E> {
        if self.allow_plain {
            Ok(Setting::Value(v.to_owned()))
        } else {
            // Never repeat the value: it is a secret written where it must not be.
            Err(E::custom(
                "a secret must not be written in the configuration file: use { env = \"NAME\" } or { file = \"PATH\" }",
            ))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Setting, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(
                "expected { env = \"NAME\" } or { file = \"PATH\" }",
            ));
        };
        let source = match key.as_str() {
            "env" => Source::Env(map.next_value()?),
            "file" => Source::File(map.next_value()?),
            other => return Err(de::Error::unknown_field(other, &["env", "file"])),
        };
        if map.next_key::<String>()?.is_some() {
            return Err(de::Error::custom("give one of `env` or `file`, not both"));
        }
        Ok(Setting::From(source))
    }
}

/// A secret: `{ env = "NAME" }` or `{ file = "PATH" }` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret(pub Source);

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match d.deserialize_any(SourceVisitor { allow_plain: false })? {
            Setting::From(s) => Ok(Secret(s)),
            Setting::Value(_) => Err(de::Error::custom("a secret must come from env or file")),
        }
    }
}

/// A non-secret setting: a plain value, `{ env = "NAME" }` or `{ file = "PATH" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// Written in the file.
    Value(String),
    /// Read from the environment or a file.
    From(Source),
}

impl<'de> Deserialize<'de> for Setting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(SourceVisitor { allow_plain: true })
    }
}

impl Setting {
    fn resolve(&self, what: &str) -> Result<String> {
        match self {
            Setting::Value(v) => Ok(v.clone()),
            Setting::From(s) => Ok(s.read(what)?.expose_secret().to_owned()),
        }
    }

    fn resolve_opt(&self, what: &str) -> Result<Option<String>> {
        match self {
            Setting::Value(v) => Ok(Some(v.clone())),
            Setting::From(s) => Ok(s.read_opt(what)?.map(|v| v.expose_secret().to_owned())),
        }
    }
}

/// A required setting: the file's, or the default environment variable.
pub(super) fn required(s: Option<&Setting>, env: &str, what: &str) -> Result<String> {
    match s {
        Some(s) => s.resolve(what),
        None => Setting::From(Source::env(env)).resolve(what),
    }
}

/// An optional setting: the file's, or the environment variable when set.
pub(super) fn optional(s: Option<&Setting>, env: &str, what: &str) -> Result<Option<String>> {
    match s {
        Some(s) => s.resolve_opt(what),
        None => Setting::From(Source::env(env)).resolve_opt(what),
    }
}

/// A secret: the file's source, or the default environment variable.
pub(super) fn secret(s: Option<&Secret>, env: &str, what: &str) -> Result<SecretString> {
    match s {
        Some(Secret(src)) => src.read(what),
        None => Source::env(env).read(what),
    }
}

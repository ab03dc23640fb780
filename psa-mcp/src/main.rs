//! `psa-mcp`: a PSA (HaloPSA, ConnectWise, Autotask, ServiceNow) as MCP
//! tools for AI agents, over stdio or streamable HTTP. See the README.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use psa_core::{Error, Psa, Result};
use psa_mcp::config::{self, Config, Transport};
use psa_mcp::{HttpServer, McpServer};
use psa_permissions::{Policy, Profile};

const USAGE: &str = "\
psa-mcp: a PSA as MCP tools for AI agents, permission-gated

USAGE:
    psa-mcp [OPTIONS]

OPTIONS:
    --config <FILE>      TOML configuration (default: $PSA_MCP_CONFIG, if set)
    --vendor <NAME>      halo | connectwise | autotask | servicenow (overrides the file)
    --simulator          run against the vendor's built-in simulator: no account needed
                         (default policy: helpdesk; against a real tenant: read_only)
    --profile <NAME>     read_only | helpdesk | it_admin | full_automation (replaces the
                         file's policy)
    --policy <FILE>      a policy file, .toml or .json (replaces the file's policy)
    --test-mode          plan writes and return the plans; send none
    --http [ADDR]        serve streamable HTTP at ADDR (default 127.0.0.1:8080) instead
                         of stdio; off loopback a token is required ([http] token)
    --list-tools         print the tools this configuration exposes, as JSON, and exit
    -h, --help           this help
    -V, --version        the version

Credentials come from environment variables or files, never from the TOML
(HALO_BASE_URL, HALO_CLIENT_ID, HALO_CLIENT_SECRET; CW_SITE or CW_BASE_URL,
CW_COMPANY_ID, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_CLIENT_ID; AUTOTASK_USERNAME,
AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE; SERVICENOW_BASE_URL with
SERVICENOW_CLIENT_ID and SERVICENOW_CLIENT_SECRET, or SERVICENOW_USERNAME and
SERVICENOW_PASSWORD). Logs go to stderr ($PSA_MCP_LOG sets the filter).
";

#[derive(Debug, Default)]
struct Args {
    config: Option<PathBuf>,
    vendor: Option<String>,
    simulator: bool,
    profile: Option<String>,
    policy: Option<PathBuf>,
    test_mode: bool,
    /// `--http`, with or without an address.
    http: bool,
    bind: Option<SocketAddr>,
    list_tools: bool,
}

enum Parsed {
    Run(Args),
    Help,
    Version,
}

fn value(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<String> {
    args.next()
        .filter(|v| !v.starts_with("--"))
        .ok_or_else(|| Error::config(format!("{flag} needs a value (see --help)")))
}

fn parse_args(raw: impl IntoIterator<Item = String>) -> Result<Parsed> {
    let mut out = Args::default();
    let mut it = raw.into_iter().peekable();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let take = |it: &mut std::iter::Peekable<_>| match &inline {
            Some(v) => Ok(v.clone()),
            None => value(it, &flag),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            "--config" => out.config = Some(PathBuf::from(take(&mut it)?)),
            "--vendor" => out.vendor = Some(take(&mut it)?),
            "--simulator" => out.simulator = true,
            "--profile" => out.profile = Some(take(&mut it)?),
            "--policy" => out.policy = Some(PathBuf::from(take(&mut it)?)),
            "--test-mode" => out.test_mode = true,
            "--list-tools" => out.list_tools = true,
            "--http" => {
                let addr = match inline.clone() {
                    Some(v) => Some(v),
                    None => match it.peek() {
                        Some(v) if !v.starts_with("--") => it.next(),
                        _ => None,
                    },
                };
                let addr = addr
                    .map(|a| {
                        a.parse::<SocketAddr>().map_err(|_| {
                            Error::config(format!(
                                "--http: `{a}` is not an address like 127.0.0.1:8080"
                            ))
                        })
                    })
                    .transpose()?;
                out.http = true;
                out.bind = addr;
            }
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(Error::config(format!(
                    "unknown argument `{shown}` (see --help)"
                )));
            }
        }
    }
    Ok(Parsed::Run(out))
}

fn init_logs() {
    let filter = std::env::var("PSA_MCP_LOG")
        .unwrap_or_else(|_| "warn,psa::audit=info,psa_mcp=info".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Parsed::Version) => {
            println!("psa-mcp {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("psa-mcp: {e}");
            return ExitCode::from(2);
        }
    };
    init_logs();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("psa-mcp: {e}");
            ExitCode::from(if e.is_config() { 2 } else { 1 })
        }
    }
}

/// Keeps the simulator (when one runs) alive as long as the server.
#[cfg(feature = "simulator")]
type Keep = Option<psa_mcp::simulator::Simulator>;
#[cfg(not(feature = "simulator"))]
type Keep = Option<std::convert::Infallible>;

#[cfg(feature = "simulator")]
async fn simulator(vendor: psa_core::Vendor) -> Result<(Arc<dyn Psa>, Keep)> {
    let sim = psa_mcp::simulator::Simulator::start(vendor).await?;
    tracing::info!(target: "psa_mcp", "running against the built-in {vendor} simulator");
    Ok((sim.psa(), Some(sim)))
}

#[cfg(not(feature = "simulator"))]
#[allow(clippy::unused_async)] // the same signature as with the feature
async fn simulator(_vendor: psa_core::Vendor) -> Result<(Arc<dyn Psa>, Keep)> {
    Err(Error::config(
        "--simulator needs psa-mcp built with the `simulator` feature: cargo install psa-mcp --features simulator",
    ))
}

async fn run(args: Args) -> Result<()> {
    let config_path = args
        .config
        .clone()
        .or_else(|| std::env::var_os("PSA_MCP_CONFIG").map(PathBuf::from));
    let mut config = match &config_path {
        Some(p) => Config::from_path(p)?,
        None => Config::default(),
    };
    if let Some(v) = &args.vendor {
        config.vendor = Some(config::parse_vendor(v)?);
    }
    if args.test_mode {
        config.test_mode = true;
    }
    if let Some(p) = &args.profile {
        config.policy = Some(Policy::profile(p.parse::<Profile>()?));
        config.policy_file = None;
    }
    if let Some(p) = &args.policy {
        config.policy = None;
        config.policy_file = Some(p.clone());
    }
    if args.http {
        config.transport = Transport::Http;
        if let Some(a) = args.bind {
            config.http.bind = Some(a);
        }
    }
    let vendor = config.vendor()?;
    // Check the HTTP options before connecting anywhere.
    let http = match config.transport {
        Transport::Http => Some(config.http_options()?),
        _ => None,
    };

    let (psa, secrets, _keep): (Arc<dyn Psa>, Vec<secrecy::SecretString>, Keep) = if args.simulator
    {
        let (psa, keep) = simulator(vendor).await?;
        (psa, Vec::new(), keep)
    } else {
        let c = config.connect().await?;
        (c.psa, c.secrets, None)
    };
    let fallback = if args.simulator {
        Profile::Helpdesk
    } else {
        Profile::ReadOnly
    };
    let (mut builder, approvals) = config.server_builder(psa, fallback)?;
    if approvals.is_some() {
        return Err(Error::config(
            "approval.mode = \"channel\" needs a program that embeds psa-mcp to answer the approvals (psa_mcp::Config::server_builder returns the channel); the psa-mcp binary has no one to ask: use \"deny\"",
        ));
    }
    for s in secrets {
        builder = builder.scrub_secret(s);
    }
    if let Some(o) = &http
        && let Some(t) = &o.token
    {
        builder = builder.scrub_secret(t.clone());
    }
    let server: McpServer = builder.build()?;

    if args.list_tools {
        let tools = serde_json::to_string_pretty(server.tools())
            .map_err(|e| Error::config(format!("cannot print the tools: {e}")))?;
        println!("{tools}");
        return Ok(());
    }

    tracing::info!(
        target: "psa_mcp",
        vendor = %vendor,
        tools = server.tools().len(),
        test_mode = config.test_mode,
        "psa-mcp ready"
    );
    match http {
        Some(options) => {
            let running = HttpServer::start(server, options).await?;
            tracing::info!(target: "psa_mcp", "serving streamable HTTP at {}", running.url());
            eprintln!(
                "psa-mcp: serving MCP over streamable HTTP at {}",
                running.url()
            );
            running.run_until_signal().await;
            Ok(())
        }
        None => server.serve_stdio().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn flags_parse() {
        let Ok(Parsed::Run(a)) =
            parse(&["--vendor", "halo", "--simulator", "--http", "--test-mode"])
        else {
            panic!("did not parse");
        };
        assert_eq!(a.vendor.as_deref(), Some("halo"));
        assert!(a.simulator && a.test_mode);
        assert!(a.http && a.bind.is_none());
        let Ok(Parsed::Run(a)) = parse(&["--http=127.0.0.1:9000", "--profile=helpdesk"]) else {
            panic!("did not parse");
        };
        assert!(a.http);
        assert_eq!(a.bind, Some("127.0.0.1:9000".parse().unwrap()));
        assert_eq!(a.profile.as_deref(), Some("helpdesk"));
        assert!(matches!(parse(&["--help"]), Ok(Parsed::Help)));
    }

    #[test]
    fn mistakes_are_named() {
        assert!(
            parse(&["--vendor"])
                .err()
                .unwrap()
                .to_string()
                .contains("--vendor needs a value")
        );
        assert!(
            parse(&["--frobnicate"])
                .err()
                .unwrap()
                .to_string()
                .contains("--frobnicate")
        );
        assert!(
            parse(&["--http", "nowhere"])
                .err()
                .unwrap()
                .to_string()
                .contains("nowhere")
        );
    }
}

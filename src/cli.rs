//! The command line, parsed by clap from these doc-commented structs.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// learn: build a searchable learning site with quizzes from markdown lessons.
#[derive(Debug, Parser)]
#[command(name = "learn", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Validate everything a build would, writing nothing.
    Check(CheckArgs),
    /// Create a new site: site.toml, one area, one lesson with a quiz, an FAQ, a Pages workflow.
    Init(InitArgs),
    /// Turn a course written for another tool into a learn site.
    Import(ImportArgs),
    /// Build in memory, serve on 127.0.0.1, rebuild what each save changes, reload open pages.
    Serve(ServeArgs),
    /// Like serve without the server: keep the output folder up to date.
    Watch(WatchArgs),
    /// Removes a previous site that `learn build` set aside (run by `learn build` itself, in the background).
    #[command(name = "remove-set-aside", hide = true)]
    RemoveSetAside {
        /// The folder, named `.<output>.learn-old-<pid>`.
        folder: std::path::PathBuf,
    },
}

/// `learn serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: Common,
    /// The address to listen on. Anything but loopback lets other machines see the site.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// The port (default 3000); 0 takes a free one. Without --port, a busy 3000 gives way to a free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Look for changes every 500 ms instead of waiting for file-system events
    /// (network drives, some containers and virtual machines).
    #[arg(long)]
    pub poll: bool,
}

/// `learn watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Look for changes every 500 ms instead of waiting for file-system events.
    #[arg(long)]
    pub poll: bool,
}

/// `learn init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in; it must be missing or empty.
    pub dir: PathBuf,
}

/// `learn import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

/// What `learn import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportFrom {
    /// An mdBook (with mdbook-quiz quizzes): book.toml and SUMMARY.md to site.toml, areas,
    /// lessons and pages; what cannot be converted is listed in DEST/IMPORT-REPORT.md.
    Mdbook(ImportMdbookArgs),
}

/// `learn import mdbook BOOK DEST`.
#[derive(Debug, Args)]
pub struct ImportMdbookArgs {
    /// The book's folder (holds book.toml).
    pub book: PathBuf,
    /// The folder to create the site in; it must be missing or empty.
    pub dest: PathBuf,
}

/// Flags every command shares.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// The site's folder (holds site.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Where a command writes the site and the URL it is published at.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Where to write the site (default: `output_dir` from site.toml).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The URL the site is published at, e.g. https://org.github.io/repo/.
    #[arg(long)]
    pub base_url: Option<String>,
}

/// `learn build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Build everything from scratch and keep no cache (removes `.learn-cache/build.bin`).
    #[arg(long)]
    pub no_cache: bool,
}

/// `learn check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Output formats of `learn check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

//! Reading: brings the session's sources up to date with the disk, and puts
//! pages read again into the site, in place or by assembling it again.

use super::*;

/// A page's questions, what validating them reported, and its rendered markdown if kept.
type Slot = (Arc<[Question]>, Vec<Diagnostic>, Option<RenderedPage>);

impl Session {
    /// Brings `sources` and the asset list up to date with the disk; returns the
    /// markdown files to read again, and whether files appeared or vanished.
    pub(super) fn refresh_sources(&mut self, changes: &Changes) -> (BTreeSet<PathBuf>, bool) {
        let mut reread = BTreeSet::new();
        let mut rescan = changes.rescan;
        for path in &changes.content {
            if path.iter().any(|c| loader::is_ignored(&c.to_string_lossy())) {
                continue;
            }
            let known = self.sources.contains_key(path) || self.asset_stamps.contains_key(path);
            match std::fs::symlink_metadata(self.content_dir.join(path)) {
                Ok(meta) if meta.is_dir() => rescan = true,
                Ok(_) if self.sources.contains_key(path) => {
                    reread.insert(path.clone());
                }
                Ok(_) if known => {
                    self.asset_stamps.insert(path.clone(), stamp(&self.content_dir.join(path)));
                }
                // A file that is new here: the walk decides what it is.
                Ok(_) => rescan = true,
                Err(_) if known || self.knows_folder(path) => rescan = true,
                // A temporary file that came and went.
                Err(_) => {}
            }
        }
        let mut reshaped = false;
        if rescan {
            let (more, files_changed) = self.walk();
            reread.extend(more);
            reshaped = files_changed;
        }
        (reread, reshaped)
    }

    /// True if a known file lies under `dir`.
    fn knows_folder(&self, dir: &Path) -> bool {
        self.sources.range(dir.to_path_buf()..).next().is_some_and(|(p, _)| p.starts_with(dir) && p != dir)
    }

    /// Walks `content/` again: forgets what is gone, returns what is new or has
    /// changed, and whether any file appeared or vanished (or the walk's own
    /// findings changed).
    fn walk(&mut self) -> (BTreeSet<PathBuf>, bool) {
        let before: (Vec<PathBuf>, Vec<PathBuf>, usize) = (
            self.sources.keys().cloned().collect(),
            self.site.assets.iter().map(|a| a.content_path.clone()).collect(),
            self.walk_diags.len(),
        );
        let mut walk_diags = Diagnostics::default();
        let mut reread = BTreeSet::new();
        let (found, assets) = if self.content_dir.is_dir() {
            loader::discover(&self.content_dir, &mut walk_diags)
        } else {
            walk_diags.push(
                Diagnostic::error(
                    crate::diag::Code::ContentNoFolder,
                    format!("no content folder at {}", self.content_dir.display()),
                )
                .with_hint("create `content/` with an `_index.md`, or run `learn init`"),
            );
            (Vec::new(), Vec::new())
        };
        let mut sources = BTreeMap::new();
        for f in found {
            let st = stamp(&self.content_dir.join(&f.content_path));
            let path = f.content_path.clone();
            match self.sources.remove(&path) {
                Some(old) if old.found == f && old.stamp == st && st.is_some() => {
                    sources.insert(path, old);
                }
                _ => {
                    reread.insert(path.clone());
                    sources.insert(path, Source { found: f, stamp: st, status: Status::InSite });
                }
            }
        }
        self.sources = sources;
        self.asset_stamps = assets.iter().map(|a| (a.content_path.clone(), stamp(&a.source))).collect();
        let after: (Vec<PathBuf>, Vec<PathBuf>, usize) = (
            self.sources.keys().cloned().collect(),
            assets.iter().map(|a| a.content_path.clone()).collect(),
            walk_diags.0.len(),
        );
        // A first walk always assembles the site.
        let reshaped = before != after || self.site.pages.is_empty();
        Arc::make_mut(&mut self.site).assets = assets;
        self.walk_diags = walk_diags.0;
        (reread, reshaped)
    }

    /// True when a file read again leaves the site's shape as it is: it was in
    /// the site and stays there (or its errors keep its last good version), and
    /// it sorts among its siblings where it did.
    pub(super) fn fits_in_place(&self, path: &Path, read: &Result<Page, Vec<Diagnostic>>) -> bool {
        let Some(Target::Page(i)) = self.site.targets.get(path).copied() else { return false };
        let in_site = matches!(self.sources[path].status, Status::InSite | Status::Broken { kept: true, .. });
        match read {
            Err(_) => in_site,
            Ok(page) if page.front.draft && !self.opts.drafts => false,
            Ok(page) => in_site && page.url == self.site.pages[i].url && self.keeps_order(i, page),
        }
    }

    /// True if `page`, replacing page `i`, sorts where page `i` does among its siblings.
    fn keeps_order(&self, i: PageId, page: &Page) -> bool {
        let site = &*self.site;
        let old = &site.pages[i];
        let siblings: Vec<PageId> = match old.kind {
            PageKind::Home => return true,
            PageKind::Lesson => match old.area {
                Some(a) => site.areas[a].lessons.clone(),
                None => return false,
            },
            PageKind::Area => site.areas.iter().map(|a| a.page).collect(),
            PageKind::Standalone => site.standalone.clone(),
        };
        let key = loader::order_key(page);
        if key == loader::order_key(old) {
            return true;
        }
        // Siblings are sorted by (order key, position in path order), stably.
        let Some(at) = siblings.iter().position(|&s| s == i) else { return false };
        let place = |s: PageId| (loader::order_key(&site.pages[s]), s);
        let me = (key, i);
        at.checked_sub(1).is_none_or(|p| place(siblings[p]) < me) && siblings.get(at + 1).is_none_or(|&n| me < place(n))
    }

    /// Puts pages read again where their old versions were: nothing else moves.
    pub(super) fn replace_in_place(&mut self, fresh: HashMap<PathBuf, Read>) -> Scope {
        let mut changed = Vec::new();
        let mut questions_changed = false;
        for (path, (st, result)) in fresh {
            let Some(Target::Page(i)) = self.site.targets.get(&path).copied() else { continue };
            let source = self.sources.get_mut(&path).expect("a page read again is a known source");
            source.stamp = st;
            match result {
                Ok(mut page) => {
                    source.status = Status::InSite;
                    // Assembling is what gives a page its area; here it keeps the old one's.
                    page.area = self.site.pages[i].area;
                    let (qs, ds) = quiz::validate(&page);
                    // Validated: nothing reads the raw questions again.
                    std::sync::Arc::make_mut(&mut page.front).quiz = Vec::new();
                    questions_changed |= qs[..] != self.pages[i].questions[..];
                    Arc::make_mut(&mut self.site).pages[i] = page;
                    (self.pages[i].questions, self.pages[i].quiz_diags) = (qs.into(), ds);
                    changed.push(i);
                }
                Err(errors) => source.status = Status::Broken { errors, kept: true },
            }
        }
        let (site, settings) = (&self.site, &self.rendered_with);
        let render =
            |&i: &PageId| (i, render_markdown(site, settings, i, &self.pages[i].questions, &self.highlighter).kept());
        // One page, the usual save, is rendered here rather than handed to the pool.
        let made: Vec<(PageId, RenderedPage)> = match changed.len() {
            0 | 1 => changed.iter().map(render).collect(),
            _ => changed.par_iter().map(render).collect(),
        };
        let mut anchors_changed = false;
        for (i, r) in made {
            anchors_changed |= r.anchors_fingerprint != self.pages[i].rendered.anchors_fingerprint;
            self.pages[i].set_rendered(r);
        }
        Scope::Pages { pages: changed, anchors_changed, questions_changed }
    }

    /// Assembles the site from the pages kept and the pages just read, carrying
    /// each kept page's quiz and rendered markdown over to its new position.
    /// Every page is rendered again when `restyled` (new markdown settings) or
    /// when links may resolve differently.
    pub(super) fn reassemble(&mut self, fresh: HashMap<PathBuf, Read>, restyled: bool, laps: &mut Laps) {
        let mut site = std::mem::take(Arc::make_mut(&mut self.site));
        let mut kept_pages = HashMap::with_capacity(site.pages.len());
        let mut kept_state = HashMap::with_capacity(site.pages.len());
        for (page, state) in std::mem::take(&mut site.pages).into_iter().zip(std::mem::take(&mut self.pages)) {
            kept_state.insert(page.content_path.clone(), state);
            kept_pages.insert(page.content_path.clone(), page);
        }
        let site_pages = self.place_read_pages(fresh, &mut kept_pages, &mut kept_state);
        let mut diags = Diagnostics::default();
        let mut site = loader::assemble(site_pages, std::mem::take(&mut site.assets), &mut diags);
        site.unavailable = self
            .sources
            .iter()
            .filter_map(|(p, s)| match s.status {
                Status::Draft => Some((p.clone(), Unavailable::Draft)),
                Status::Broken { kept: false, .. } => Some((p.clone(), Unavailable::Broken)),
                _ => None,
            })
            .collect();
        self.assemble_diags = diags.0;
        self.shape = deps::shape_fingerprint(&site);
        laps.lap("assemble");

        let link_map = deps::link_map_fingerprint(&site);
        let all_stale = restyled || link_map != self.link_map;
        self.link_map = link_map;
        self.pages = self.carry_over(&site, kept_state, all_stale);
        // Every page's quiz is validated now: nothing reads the raw questions again.
        for page in &mut site.pages {
            std::sync::Arc::make_mut(&mut page.front).quiz = Vec::new();
        }
        self.site = Arc::new(site);
    }

    /// The pages of the site to be: kept pages not read again, and pages read
    /// again that are in the site (or, broken, keep their last good version).
    /// A page read again loses its kept state.
    fn place_read_pages(
        &mut self,
        mut fresh: HashMap<PathBuf, Read>,
        kept_pages: &mut HashMap<PathBuf, Page>,
        kept_state: &mut HashMap<PathBuf, PageState>,
    ) -> Vec<Page> {
        let mut site_pages = Vec::with_capacity(self.sources.len());
        for (path, source) in &mut self.sources {
            let Some((st, result)) = fresh.remove(path) else {
                // Not read again: it stays as it was (in the site, or left out).
                site_pages.extend(kept_pages.remove(path));
                continue;
            };
            source.stamp = st;
            match result {
                Ok(page) => {
                    kept_state.remove(path);
                    source.status = if page.front.draft && !self.opts.drafts { Status::Draft } else { Status::InSite };
                    if matches!(source.status, Status::InSite) {
                        site_pages.push(page);
                    }
                }
                // A bad save: keep the last good version in the site while the errors stand.
                Err(errors) => match kept_pages.remove(path) {
                    Some(page) => {
                        source.status = Status::Broken { errors, kept: true };
                        site_pages.push(page);
                    }
                    None => source.status = Status::Broken { errors, kept: false },
                },
            }
        }
        site_pages
    }

    /// Each page's record in the assembled `site`: a kept page's quiz and, unless
    /// links may now resolve differently (`all_stale`), its rendered markdown;
    /// every other page validated and rendered anew.
    fn carry_over(&self, site: &Site, mut kept: HashMap<PathBuf, PageState>, all_stale: bool) -> Vec<PageState> {
        let slots: Vec<Slot> = site
            .pages
            .iter()
            .map(|page| match kept.remove(&page.content_path) {
                Some(state) => (state.questions, state.quiz_diags, (!all_stale).then_some(state.rendered)),
                None => {
                    let (qs, ds) = quiz::validate(page);
                    (qs.into(), ds, None)
                }
            })
            .collect();
        let highlighter = &self.highlighter;
        let progress = Progress::start("Rendering markdown", slots.iter().filter(|s| s.2.is_none()).count());
        let pages = slots
            .into_par_iter()
            .enumerate()
            .map(|(i, (qs, ds, slot))| {
                let rendered = slot.unwrap_or_else(|| {
                    progress.step();
                    render_markdown(site, &self.rendered_with, PageId(i), &qs, highlighter).kept()
                });
                PageState::new(qs, ds, rendered)
            })
            .collect();
        drop(progress);
        pages
    }
}

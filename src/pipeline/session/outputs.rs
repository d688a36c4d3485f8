//! Making: the site view, the dependency record and the plan, the files of
//! each unit to make, and publishing them.

use super::*;
use crate::pipeline::Plan;

/// The record entries an update computed: all of them, or those of the pages
/// it could reach and the units that fold over every page.
enum NewRecord {
    Whole(Record),
    Part(Vec<(Unit, Inputs)>),
}

impl NewRecord {
    fn get(&self, unit: &Unit) -> Option<Inputs> {
        match self {
            NewRecord::Whole(r) => r.0.get(unit).copied(),
            NewRecord::Part(entries) => entries.iter().find(|(u, _)| u == unit).map(|(_, i)| *i),
        }
    }
}

/// What an update made, before it is published.
struct Planned {
    record: NewRecord,
    plan: Plan,
    outputs: Vec<(Unit, Vec<OutputFile>)>,
    update: Update,
}

impl SearchState {
    /// Takes the search index out of `plan` when it is to be made by a job on
    /// another thread, and returns that job unless the same one is out already.
    /// A save that changes a few pages brings the index up to date in line,
    /// so the reload that follows finds search right; anything bigger, or
    /// anything while a job is out, is left to a job.
    fn defer(
        &mut self,
        plan: &mut Plan,
        record: &NewRecord,
        keys: &[u64],
        job: impl FnOnce(Inputs, search::Index) -> SearchJob,
    ) -> Option<SearchJob> {
        let at = plan.make.iter().position(|(u, _)| *u == Unit::SearchIndex)?;
        let wanted = record.get(&Unit::SearchIndex)?;
        let index = self.index.get_mut().unwrap_or_else(|e| e.into_inner());
        let small = index.as_ref().and_then(|i| i.changes(keys)).is_some_and(|n| n <= SEARCH_IN_LINE);
        if small && self.wanted.is_none() {
            return None;
        }
        plan.make.remove(at);
        if self.wanted == Some(wanted) {
            return None;
        }
        self.wanted = Some(wanted);
        Some(job(wanted, index.take().unwrap_or_default()))
    }
}

impl Session {
    /// The site view, made again only when something it shows changed. The
    /// view is taken out of `loaded` and must be put back.
    fn refresh_view(&self, loaded: &mut Loaded, laps: &mut Laps) -> View {
        let base = Fingerprint::default().add(&loaded.inputs.fingerprint).add(&self.shape).finish();
        let cards: Vec<u64> = self.pages.iter().map(|p| p.summary.card).collect();
        let key = Fingerprint::default().add(&base).add(&cards).finish();
        match loaded.view.take() {
            Some(view) if view.key == key => return view,
            Some(mut view) if view.base == base && view.cards.len() == cards.len() => {
                if let Some(areas) = self.patch_view(loaded, &mut view, &cards) {
                    view.patched = Some((view.key, areas));
                    (view.key, view.cards) = (key, cards);
                    laps.lap("site view (areas changed)");
                    return view;
                }
            }
            _ => {}
        }
        let view = render::site_view(&loaded.inputs.config, &self.site, &self.pages[..]);
        let parts = SiteParts::of(&view);
        let neighbours = neighbours(&self.site, &view.lesson_order);
        laps.lap("site view");
        if loaded.view_given != Some(parts.fingerprint()) {
            loaded.inputs.templates.set_site(&view);
            loaded.view_given = Some(parts.fingerprint());
            laps.lap("site view to templates");
        }
        View { key, base, cards, patched: None, view, parts, neighbours }
    }

    /// Makes again only the area cards of the lessons and area pages whose
    /// cards changed, when nothing else the view shows did (same config, theme
    /// and shape): the usual case of a new title. Returns the areas made
    /// again, or `None` if it cannot.
    fn patch_view(&self, loaded: &mut Loaded, view: &mut View, cards: &[u64]) -> Option<Vec<AreaId>> {
        let mut areas = BTreeSet::new();
        for (i, _) in cards.iter().zip(&view.cards).enumerate().filter(|(_, (new, old))| new != old) {
            let page = &self.site.pages[i];
            match (page.kind, page.area) {
                (PageKind::Lesson | PageKind::Area, Some(a)) => areas.insert(a),
                _ => return None,
            };
        }
        let areas: Vec<AreaId> = areas.into_iter().collect();
        for &a in &areas {
            view.view.areas[a.0] = render::area_card(&self.site, &self.pages[..], a);
        }
        view.view.total_questions = self.pages.iter().map(|p| p.questions.len()).sum();
        view.parts = view.parts.with_changed_areas(&view.view, &areas);
        loaded.inputs.templates.set_areas(&view.view, &areas);
        loaded.view_given = Some(view.parts.fingerprint());
        Some(areas)
    }

    /// The pages whose record entries can change when pages `changed` were
    /// replaced and the view patched in `areas`: those pages, their neighbours,
    /// the lessons of changed areas and area pages, and every page whose
    /// template reads the site's areas.
    fn reach(&self, changed: &[PageId], areas: &[AreaId], inputs: &SiteInputs, view: &View) -> Vec<PageId> {
        let site = &*self.site;
        let mut out = BTreeSet::new();
        for &i in changed {
            out.insert(i);
            let (prev, next) = view.neighbours[i.0];
            out.extend(prev.into_iter().chain(next));
            if site.pages[i].kind == PageKind::Area {
                out.extend(site.pages[i].area.map_or(&[][..], |a| &site.areas[a].lessons[..]));
            }
        }
        for &a in areas {
            out.insert(site.areas[a].page);
            out.extend(&site.areas[a].lessons);
        }
        for kind in [PageKind::Home, PageKind::Area, PageKind::Lesson, PageKind::Standalone] {
            let r = inputs.reads_of(template_of(kind));
            if r.site_all || r.site_areas || r.site_area_count || r.site_total_questions {
                out.extend(site.page_ids().filter(|&i| site.pages[i].kind == kind));
            }
        }
        out.into_iter().collect()
    }

    /// Computes the dependency record, makes what differs from the published
    /// build, and publishes the result.
    pub(super) fn make_outputs(&mut self, loaded: &mut Loaded, laps: &mut Laps) -> Result<Update, Diagnostics> {
        let view = self.refresh_view(loaded, laps);
        let made = self.make_planned(&loaded.inputs, &view, laps);
        let key = view.key;
        loaded.view = Some(view);
        let Planned { record, plan, outputs, mut update } = made?;
        update.made = plan.make;
        self.publish(outputs, &plan.remove, &mut update);
        self.publish_last(&loaded.inputs, &mut update);
        // The record published is the new one, but a deferred search index
        // keeps its old entry until its files arrive.
        let old_search = self.published.record.0.get(&Unit::SearchIndex).copied();
        match record {
            NewRecord::Whole(record) => self.published.record = record,
            NewRecord::Part(entries) => self.published.record.0.extend(entries),
        }
        if self.search.wanted.is_some() {
            match old_search {
                Some(old) => self.published.record.0.insert(Unit::SearchIndex, old),
                None => self.published.record.0.remove(&Unit::SearchIndex),
            };
        }
        self.view_published = Some(key);
        self.unpublished = Scope::none();
        laps.lap("publish");
        Ok(update)
    }

    /// The record, the plan, and the files of every unit the plan makes.
    fn make_planned(&mut self, inputs: &SiteInputs, view: &View, laps: &mut Laps) -> Result<Planned, Diagnostics> {
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view.view,
            site: &self.site,
            // Filled in below if the progress page is to be made.
            question_index: &[],
            neighbours: &view.neighbours,
            live_reload: self.opts.live_reload,
        };
        let (record, mut plan) = self.plan(inputs, view, &renderer);
        laps.lap(if matches!(record, NewRecord::Whole(_)) {
            "record and plan"
        } else {
            "record and plan (some pages)"
        });
        let mut update = Update::default();
        let search_keys = match plan.make.iter().any(|(u, _)| *u == Unit::SearchIndex) {
            true => search::keys(&self.site, |i| self.pages[i].summary.fingerprint, &inputs.config),
            false => Vec::new(),
        };
        if self.defer_search {
            let (site, pages, config, store) = (&self.site, &self.pages, &inputs.config, &self.store);
            update.search = self.search.defer(&mut plan, &record, &search_keys, |inputs, index| SearchJob {
                site: site.clone(),
                rendered: pages.iter().map(|p| p.rendered.clone()).collect(),
                questions: pages.iter().map(|p| p.questions.clone()).collect(),
                config: config.clone(),
                inputs,
                index,
                store: store.clone(),
            });
        }
        let question_index: Vec<&str> = match plan.make.iter().any(|(u, _)| u.reads_question_index()) {
            true => self.pages.iter().map(|p| p.rendered.question_index.as_str()).collect(),
            false => Vec::new(),
        };
        let renderer = Renderer { question_index: &question_index, ..renderer };
        let progress = Progress::start("Rendering pages", plan.make.len());
        // Each file goes to the store as soon as it is made, so the update never holds them all.
        let make = |(unit, _): &(Unit, Reason)| {
            progress.step();
            let files = self.make(unit, inputs, &renderer, &search_keys)?;
            // The search index changes tens of files on a save: they are kept side by side.
            let files = match files.len() {
                0..=8 => files.into_iter().map(|f| keep_or_fail(&*self.store, f)).collect::<Result<_, _>>()?,
                _ => files.into_par_iter().map(|f| keep_or_fail(&*self.store, f)).collect::<Result<_, _>>()?,
            };
            Ok((unit.clone(), files))
        };
        let made: Vec<Result<(Unit, Vec<OutputFile>), Diagnostic>> = match plan.make.len() {
            0 | 1 => plan.make.iter().map(make).collect(),
            _ => plan.make.par_iter().map(make).collect(),
        };
        drop(progress);
        laps.lap("pages");
        let (outputs, mut diags): (Vec<_>, Vec<_>) = made.into_iter().partition(Result::is_ok);
        if !diags.is_empty() {
            let mut diags = Diagnostics(diags.drain(..).filter_map(Result::err).collect());
            diags.sort();
            return Err(diags);
        }
        let outputs: Vec<(Unit, Vec<OutputFile>)> = outputs.into_iter().filter_map(Result::ok).collect();
        if let Some((_, files)) = outputs.iter().find(|(u, _)| *u == Unit::SearchIndex) {
            if let Some(index) = self.search.index.get_mut().unwrap_or_else(|e| e.into_inner()) {
                let_go_if_kept(index, files);
            }
        }
        Ok(Planned { record, plan, outputs, update })
    }

    /// The new record, whole or for the pages this update can reach, and what
    /// differs from the published one. Pages replaced in place with the view
    /// unchanged (no title, order or question changed) cannot change what
    /// other pages show: only their own entries, and those folding over every
    /// page, are computed again. A view patched from the published one
    /// reaches further, but still not every page.
    fn plan(&self, inputs: &SiteInputs, view: &View, renderer: &Renderer<'_>) -> (NewRecord, Plan) {
        let view_changed = self.view_published != Some(view.key);
        let reach = match (&self.unpublished, &view.patched) {
            (Scope::Pages { pages, .. }, _) if !view_changed => Some(pages.clone()),
            (Scope::Pages { pages, .. }, Some((from, areas))) if self.view_published == Some(*from) => {
                Some(self.reach(pages, areas, inputs, view))
            }
            _ => None,
        };
        match reach {
            Some(pages) => {
                let mut entries = self.record_shared(inputs, &view.parts);
                entries.extend(pages.iter().map(|&i| self.page_entry(i, inputs, renderer, &view.parts)));
                let plan = deps::plan_some(&self.published.record, entries.iter().map(|(u, i)| (u, *i)));
                (NewRecord::Part(entries), plan)
            }
            None => {
                let record = self.record(inputs, renderer, &view.parts);
                let plan = deps::plan(&self.published.record, &record);
                (NewRecord::Whole(record), plan)
            }
        }
    }

    /// Replaces the published files of the units made, drops those of units gone,
    /// and notes in `update` which output paths changed.
    pub(super) fn publish(&mut self, made: Vec<(Unit, Vec<OutputFile>)>, gone: &[Unit], update: &mut Update) {
        let published = &mut self.published;
        let mut files = (*published.files).clone();
        let mut removed = BTreeSet::new();
        for unit in gone {
            for path in published.unit_files.remove(unit).unwrap_or_default() {
                files.remove(&*path);
                published.listed.remove(&*path);
                removed.insert(path.to_string());
            }
        }
        for (unit, outputs) in made {
            // A copied file's bytes are not at hand; a new stamp means new contents.
            let copied = matches!(unit, Unit::Asset(_));
            let mut paths = Vec::with_capacity(outputs.len());
            for f in outputs {
                match files.get_key_value(f.path.as_str()) {
                    Some((path, old)) if !copied && **old == f.contents => paths.push(path.clone()),
                    _ => {
                        removed.remove(f.path.as_str());
                        published.listed.remove(f.path.as_str());
                        update.changed.push(f.path.clone());
                        let path: Arc<str> = f.path.into();
                        files.insert(path.clone(), Arc::new(f.contents));
                        published.unlisted.push(path.clone());
                        paths.push(path);
                    }
                }
            }
            // The search index alone has some 20,000 files: compare names by
            // where they are kept, which is the same for a file kept as it was.
            let old = published.unit_files.remove(&unit).unwrap_or_default();
            if old.len() != paths.len() || old.iter().zip(&paths).any(|(a, b)| !Arc::ptr_eq(a, b)) {
                let keep: HashSet<&str> = paths.iter().map(|p| &**p).collect();
                for path in old.iter().filter(|p| !keep.contains(&***p)) {
                    files.remove(&**path);
                    published.listed.remove(&**path);
                    removed.insert(path.to_string());
                }
            }
            published.unit_files.insert(unit, paths);
        }
        update.changed.sort();
        // An update publishes twice (its units, then the last one): keep what the first removed.
        update.removed.extend(removed);
        update.removed.sort();
        update.removed.dedup();
        published.files = Arc::new(files);
    }

    /// Makes the last unit again from every published file, and publishes it,
    /// when some file changed since it was made (or removes it when `[offline]` is off).
    pub(super) fn publish_last(&mut self, inputs: &SiteInputs, update: &mut Update) {
        let made = self.published.unit_files.contains_key(&Unit::Offline);
        let Some(unit) = catalogue::last_unit(inputs) else {
            // Nothing lists the files: the next list starts from all of them.
            (self.published.listed, self.published.unlisted) = Default::default();
            if made {
                self.publish(Vec::new(), &[Unit::Offline], update);
            }
            return;
        };
        if made && update.changed.is_empty() && update.removed.is_empty() {
            return;
        }
        let (files, published) = (self.published.files.clone(), &mut self.published);
        // Only files published since the last list are looked at (at 10,000
        // lessons a save changes a hundred of some 30,000); a first list looks at all.
        let candidates: Vec<Arc<str>> = match made {
            true => std::mem::take(&mut published.unlisted),
            false => {
                (published.listed, published.unlisted) = Default::default();
                files.keys().cloned().collect()
            }
        };
        let fresh: Vec<(Arc<str>, catalogue::Listed)> = candidates
            .into_par_iter()
            .filter(|path| catalogue::is_listed(path))
            .filter_map(|path| Some((path.clone(), catalogue::listed(files.get(&path)?))))
            .collect();
        published.listed.extend(fresh);
        let all = published.listed.iter().map(|(p, l)| (&**p, *l)).collect();
        let made = catalogue::make_last(inputs, all);
        // A store that fails here leaves the two files in memory: they are small.
        let made = made.into_iter().map(|f| keep(&*self.store, f).unwrap_or_else(|(f, _)| f)).collect();
        self.publish(vec![(unit, made)], &[], update);
    }

    /// True if the published record is what a full record of this build
    /// would be: updates that compute only part of it must miss nothing.
    #[cfg(test)]
    pub(super) fn record_is_whole(&self) -> bool {
        let loaded = self.loaded.as_ref().expect("loaded");
        let (inputs, view) = (&loaded.inputs, loaded.view.as_ref().expect("made"));
        let question_index: Vec<&str> = self.pages.iter().map(|p| p.rendered.question_index.as_str()).collect();
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view.view,
            site: &self.site,
            question_index: &question_index,
            neighbours: &view.neighbours,
            live_reload: self.opts.live_reload,
        };
        let mut whole = self.record(inputs, &renderer, &view.parts);
        if self.search.wanted.is_some() {
            whole.0.remove(&Unit::SearchIndex);
        }
        let mut published = self.published.record.0.clone();
        if self.search.wanted.is_some() {
            published.remove(&Unit::SearchIndex);
        }
        whole.0 == published
    }

    /// The fingerprints of everything this build makes.
    fn record(&self, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> Record {
        let pages: Vec<(Unit, Inputs)> = (0..self.site.pages.len())
            .into_par_iter()
            .map(|i| self.page_entry(PageId(i), inputs, renderer, parts))
            .collect();
        Record(pages.into_iter().chain(self.record_shared(inputs, parts)).collect())
    }

    /// The fingerprint of page `i`'s inputs.
    fn page_entry(&self, i: PageId, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> (Unit, Inputs) {
        let entry = renderer.page_entry(i, inputs, parts, self.pages[i].summary.fingerprint);
        (Unit::Page(self.site.pages[i].content_path.clone()), entry)
    }

    /// The fingerprints of everything but the markdown pages: pages with no
    /// source, static files, copied files and the search index.
    fn record_shared(&self, inputs: &SiteInputs, parts: &SiteParts) -> Vec<(Unit, Inputs)> {
        let stamp = |path: &Path| Fingerprint::default().add(&self.asset_stamps.get(path).copied().flatten()).finish();
        let page = |i: PageId| (self.pages[i].summary.fingerprint, self.pages[i].summary.quiz);
        catalogue::shared_entries(&catalogue::Facts {
            site: &self.site,
            inputs,
            parts,
            page: &page,
            link_map: self.link_map,
            shape: self.shape,
            asset_stamp: &stamp,
        })
    }

    /// Makes the files of one unit; `search_keys` are the pages' [`search::keys`]
    /// when the unit is the search index.
    fn make(
        &self,
        unit: &Unit,
        inputs: &SiteInputs,
        renderer: &Renderer<'_>,
        search_keys: &[u64],
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        if let Made::Files(files) = catalogue::make(unit, &self.site, inputs, renderer)? {
            return Ok(files);
        }
        Ok(match unit {
            Unit::Page(path) => match self.site.targets.get(path) {
                Some(Target::Page(i)) => vec![renderer.page(*i, &self.pages[*i].rendered)?],
                _ => unreachable!("every page unit is a page of the site"),
            },
            Unit::SearchIndex => {
                let mut index = self.search.index.lock().unwrap_or_else(|e| e.into_inner());
                let index = index.get_or_insert_with(search::Index::default);
                search::refresh(index, search_keys, &self.site, &inputs.config, |i| {
                    self.pages[i].rendered.search_text_with(&self.pages[i].questions)
                });
                index.files()
            }
            _ => unreachable!("the catalogue makes every other unit"),
        })
    }
}

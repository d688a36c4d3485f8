//! Making: the site view, the dependency record and the plan, the files of
//! each unit to make, and publishing them.

use super::*;

impl Session {
    /// The site view, made again only when something it shows changed.
    fn refresh_view(&mut self, laps: &mut Laps) {
        let base =
            Fingerprint::default().add(&self.inputs.as_ref().expect("loaded").fingerprint).add(&self.shape).finish();
        let cards: Vec<u64> = self.summaries.iter().map(|s| s.card).collect();
        let key = Fingerprint::default().add(&base).add(&cards).finish();
        if self.view.as_ref().is_some_and(|v| v.key == key) {
            return;
        }
        if let Some(areas) = self.patch_view(base, &cards) {
            let view = self.view.as_mut().expect("patched");
            view.patched = Some((view.key, areas));
            (view.key, view.cards) = (key, cards);
            laps.lap("site view (areas changed)");
            return;
        }
        let inputs = self.inputs.as_mut().expect("inputs are loaded before outputs are made");
        let minutes: Vec<u32> = self.summaries.iter().map(|s| s.minutes).collect();
        let view = render::site_view(&inputs.config, &self.site, &self.questions, &minutes);
        let parts = SiteParts::of(&view);
        let neighbours = neighbours(&self.site, &view.lesson_order);
        laps.lap("site view");
        if self.view_given != Some(parts.fingerprint()) {
            inputs.templates.set_site(&view);
            self.view_given = Some(parts.fingerprint());
            laps.lap("site view to templates");
        }
        self.view = Some(View { key, base, cards, patched: None, view, parts, neighbours });
    }

    /// Makes again only the area cards of the lessons and area pages whose
    /// cards changed, when nothing else the view shows did (same config, theme
    /// and shape): the usual case of a new title. Returns the areas made
    /// again, or `None` if it cannot.
    fn patch_view(&mut self, base: u64, cards: &[u64]) -> Option<Vec<usize>> {
        let view = self.view.as_mut()?;
        if view.base != base || view.cards.len() != cards.len() {
            return None;
        }
        let mut areas = BTreeSet::new();
        for (i, _) in cards.iter().zip(&view.cards).enumerate().filter(|(_, (new, old))| new != old) {
            let page = &self.site.pages[i];
            match (page.kind, page.area) {
                (PageKind::Lesson | PageKind::Area, Some(a)) => areas.insert(a),
                _ => return None,
            };
        }
        let areas: Vec<usize> = areas.into_iter().collect();
        let minutes: Vec<u32> = self.summaries.iter().map(|s| s.minutes).collect();
        for &a in &areas {
            view.view.areas[a] = render::area_card(&self.site, &self.questions, &minutes, a);
        }
        view.view.total_questions = self.questions.iter().map(Vec::len).sum();
        view.parts = view.parts.with_changed_areas(&view.view, &areas);
        let inputs = self.inputs.as_mut().expect("loaded");
        inputs.templates.set_areas(&view.view, &areas);
        self.view_given = Some(view.parts.fingerprint());
        Some(areas)
    }

    /// The pages whose record entries can change when pages `changed` were
    /// replaced and the view patched in `areas`: those pages, their neighbours,
    /// the lessons of changed areas and area pages, and every page whose
    /// template reads the site's areas.
    fn reach(&self, changed: &[usize], areas: &[usize], inputs: &SiteInputs, view: &View) -> Vec<usize> {
        let site = &*self.site;
        let mut out = BTreeSet::new();
        for &i in changed {
            out.insert(i);
            let (prev, next) = view.neighbours[i];
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
                out.extend((0..site.pages.len()).filter(|&i| site.pages[i].kind == kind));
            }
        }
        out.into_iter().collect()
    }

    /// Computes the dependency record, makes what differs from the published
    /// build, and publishes the result.
    pub(super) fn make_outputs(&mut self, laps: &mut Laps) -> Result<Update, Diagnostics> {
        self.refresh_view(laps);
        let inputs = self.inputs.as_ref().expect("loaded");
        let view = self.view.as_ref().expect("refreshed");
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view.view,
            site: &self.site,
            // Filled in below if the progress page is to be made.
            question_index: &[],
            neighbours: &view.neighbours,
            live_reload: self.opts.live_reload,
        };
        // Pages replaced in place with the view unchanged (no title, order or
        // question changed) cannot change what other pages show: only their
        // own entries, and those folding over every page, are computed again.
        // A view patched from the published one reaches further, but still
        // not every page.
        let view_changed = self.view_published != Some(view.key);
        let reach = match (&self.unpublished, &view.patched) {
            (Scope::Pages { pages, .. }, _) if !view_changed => Some(pages.clone()),
            (Scope::Pages { pages, .. }, Some((from, areas))) if self.view_published == Some(*from) => {
                Some(self.reach(pages, areas, inputs, view))
            }
            _ => None,
        };
        let (record, mut plan) = match reach {
            Some(pages) => {
                let mut entries = self.record_shared(inputs, &view.parts);
                entries.extend(pages.iter().map(|&i| self.page_entry(i, inputs, &renderer, &view.parts)));
                let plan = deps::plan_some(&self.published.record, entries.iter().map(|(u, i)| (u, *i)));
                (Err(entries), plan)
            }
            _ => {
                let record = self.record(inputs, &renderer, &view.parts);
                let plan = deps::plan(&self.published.record, &record);
                (Ok(record), plan)
            }
        };
        laps.lap(if record.is_ok() { "record and plan" } else { "record and plan (some pages)" });
        let search_entry = match &record {
            Ok(r) => r.0.get(&Unit::SearchIndex).copied(),
            Err(entries) => entries.iter().find(|(u, _)| *u == Unit::SearchIndex).map(|(_, i)| *i),
        };

        let mut update = Update::default();
        let search_at = plan.make.iter().position(|(u, _)| *u == Unit::SearchIndex);
        let search_keys = match search_at {
            Some(_) => search::keys(&self.site, |i| self.summaries[i].fingerprint, &inputs.config),
            None => Vec::new(),
        };
        if let (true, Some(at)) = (self.defer_search, search_at) {
            // A save that changes a few pages brings the index up to date here,
            // so the reload that follows finds search right; anything bigger is
            // left to a job on another thread.
            let index = self.search.get_mut().unwrap_or_else(|e| e.into_inner());
            let small = index.as_ref().and_then(|i| i.changes(&search_keys)).is_some_and(|n| n <= SEARCH_IN_LINE);
            if !small || self.search_wanted.is_some() {
                plan.make.remove(at);
                let wanted = search_entry.expect("a search index to make has an entry");
                if self.search_wanted != Some(wanted) {
                    self.search_wanted = Some(wanted);
                    update.search = Some(SearchJob {
                        site: self.site.clone(),
                        rendered: self.rendered.clone(),
                        config: inputs.config.clone(),
                        inputs: wanted,
                        index: index.take().unwrap_or_default(),
                    });
                }
            }
        }

        let progress_page = Unit::Special(Special::Progress);
        let question_index: Vec<&str> = match plan.make.iter().any(|(u, _)| *u == progress_page) {
            true => self.rendered.iter().map(|r| r.question_index.as_str()).collect(),
            false => Vec::new(),
        };
        let renderer = Renderer { question_index: &question_index, ..renderer };
        let progress = Progress::start("Rendering pages", plan.make.len());
        let make = |(unit, _): &(Unit, Reason)| {
            progress.step();
            self.make(unit, inputs, &renderer, &search_keys)
        };
        let made: Vec<Result<Vec<OutputFile>, Diagnostic>> = match plan.make.len() {
            0 | 1 => plan.make.iter().map(make).collect(),
            _ => plan.make.par_iter().map(make).collect(),
        };
        drop(progress);
        laps.lap("pages");
        let mut diags = Diagnostics::default();
        let mut outputs = Vec::with_capacity(made.len());
        for (m, (unit, _)) in made.into_iter().zip(&plan.make) {
            match m {
                Ok(files) => outputs.push((unit.clone(), files)),
                Err(d) => diags.push(d),
            }
        }
        if diags.has_errors() {
            diags.sort();
            return Err(diags);
        }

        update.made = plan.make;
        self.publish(outputs, &plan.remove, &mut update);
        // The record published is the new one, but a deferred search index
        // keeps its old entry until its files arrive.
        let old_search = self.published.record.0.get(&Unit::SearchIndex).copied();
        match record {
            Ok(record) => self.published.record = record,
            Err(entries) => self.published.record.0.extend(entries),
        }
        if self.search_wanted.is_some() {
            match old_search {
                Some(old) => self.published.record.0.insert(Unit::SearchIndex, old),
                None => self.published.record.0.remove(&Unit::SearchIndex),
            };
        }
        self.view_published = self.view.as_ref().map(|v| v.key);
        self.unpublished = Scope::none();
        laps.lap("publish");
        Ok(update)
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
                        update.changed.push(f.path.clone());
                        let path: Arc<str> = f.path.into();
                        files.insert(path.clone(), Arc::new(f.contents));
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
                    removed.insert(path.to_string());
                }
            }
            published.unit_files.insert(unit, paths);
        }
        update.changed.sort();
        update.removed = removed.into_iter().collect();
        published.files = Arc::new(files);
    }

    /// True if the published record is what a full record of this build
    /// would be: updates that compute only part of it must miss nothing.
    #[cfg(test)]
    pub(super) fn record_is_whole(&self) -> bool {
        let inputs = self.inputs.as_ref().expect("loaded");
        let view = self.view.as_ref().expect("made");
        let question_index: Vec<&str> = self.rendered.iter().map(|r| r.question_index.as_str()).collect();
        let renderer = Renderer {
            templates: &inputs.templates,
            view: &view.view,
            site: &self.site,
            question_index: &question_index,
            neighbours: &view.neighbours,
            live_reload: self.opts.live_reload,
        };
        let mut whole = self.record(inputs, &renderer, &view.parts);
        if self.search_wanted.is_some() {
            whole.0.remove(&Unit::SearchIndex);
        }
        let mut published = self.published.record.0.clone();
        if self.search_wanted.is_some() {
            published.remove(&Unit::SearchIndex);
        }
        whole.0 == published
    }

    /// The fingerprints of everything this build makes.
    fn record(&self, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> Record {
        let pages: Vec<(Unit, Inputs)> =
            (0..self.site.pages.len()).into_par_iter().map(|i| self.page_entry(i, inputs, renderer, parts)).collect();
        Record(pages.into_iter().chain(self.record_shared(inputs, parts)).collect())
    }

    /// The fingerprint of page `i`'s inputs.
    fn page_entry(&self, i: usize, inputs: &SiteInputs, renderer: &Renderer<'_>, parts: &SiteParts) -> (Unit, Inputs) {
        let page = &self.site.pages[i];
        let reads = inputs.reads_of(template_of(page.kind));
        let entry = Inputs {
            theme: inputs.fingerprint,
            own: self.summaries[i].fingerprint,
            nav: renderer.nav_fingerprint(i),
            site: parts.seen(&reads, page.area),
        };
        (Unit::Page(page.content_path.clone()), entry)
    }

    /// The fingerprints of everything but the markdown pages: pages with no
    /// source, static files, copied files and the search index.
    fn record_shared(&self, inputs: &SiteInputs, parts: &SiteParts) -> Vec<(Unit, Inputs)> {
        let every_page = |f: &dyn Fn(&Summary) -> u64| {
            let mut h = Fingerprint::default();
            for s in &self.summaries {
                h.add(&f(s));
            }
            h.finish()
        };
        let pages = every_page(&|s| s.fingerprint);
        let stamp = |path: &Path| Fingerprint::default().add(&self.asset_stamps.get(path).copied().flatten()).finish();
        catalogue::shared_entries(&catalogue::Facts {
            site: &self.site,
            inputs,
            parts,
            questions: every_page(&|s| s.quiz),
            link_map: self.link_map,
            pages: Fingerprint::default().add(&pages).add(&self.link_map).add(&self.shape).finish(),
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
                Some(Target::Page(i)) => vec![renderer.page(*i, &self.rendered[*i])?],
                _ => unreachable!("every page unit is a page of the site"),
            },
            Unit::SearchIndex => {
                let mut index = self.search.lock().unwrap_or_else(|e| e.into_inner());
                let index = index.get_or_insert_with(search::Index::default);
                search::refresh(index, search_keys, &self.site, &inputs.config, |i| self.rendered[i].search_text());
                index.files()
            }
            _ => unreachable!("the catalogue makes every other unit"),
        })
    }
}

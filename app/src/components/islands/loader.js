((root, pkg_path, output_name, wasm_output_name) => {
	// Leptos's islands loader (leptos 0.8, src/hydration/island_script.js), with three changes:
	// the globals its hydration context reads are defined here (the server sends no resource
	// data: islands take their data as props); the page says when its islands are live
	// (body[data-hydrated], which browser tests wait for); it runs only on pages that hold an
	// island (the server adds it there: server/src/http/html.rs); and it starts fetching
	// MapLibre for a map near the viewport, or whose button was pressed, without waiting for
	// the islands' code.
	window.__RESOLVED_RESOURCES = [];
	window.__SERIALIZED_ERRORS = [];
	window.__PENDING_RESOURCES = [];
	window.__RESOURCE_RESOLVERS = [];
	window.__INCOMPLETE_CHUNKS = [];
	const MOST_RECENT_CHILDREN_CB = [];

	function idle(c) {
		if ("requestIdleCallback" in window) {
			window.requestIdleCallback(c);
		} else {
			c();
		}
	}
	async function hydrateIslands(rootNode, mod) {
		async function traverse(node) {
			if (node.nodeType === Node.ELEMENT_NODE) {
				const tag = node.tagName.toLowerCase();
				if (tag === "leptos-island") {
					const id = node.dataset.component || null;
					await hydrateIsland(node, id, mod);
					for (const child of node.children) {
						await traverse(child);
					}
				} else if (tag === "leptos-children") {
					MOST_RECENT_CHILDREN_CB.push(node.$$on_hydrate);
					for (const child of node.children) {
						await traverse(child);
					}
					MOST_RECENT_CHILDREN_CB.pop();
				} else {
					for (const child of node.children) {
						await traverse(child);
					}
				}
			}
		}
		await traverse(rootNode);
	}
	async function hydrateIsland(el, id, mod) {
		const islandFn = mod[id];
		if (islandFn) {
			const children_cb = MOST_RECENT_CHILDREN_CB[MOST_RECENT_CHILDREN_CB.length - 1];
			if (children_cb) {
				children_cb();
			}
			const res = islandFn(el);
			if (res && res.then) {
				await res;
			}
		} else {
			console.warn(`Could not find WASM function for the island ${id}.`);
		}
	}
	// MapLibre, on a page with a map, is fetched beside the islands' code rather than after it:
	// as soon as the map's area nears the viewport, or, for a map shown first as a picture,
	// as soon as the visitor presses its button (which works before the islands' code has
	// arrived). The map island, once awake, finds MapLibre there (or on its way) by the
	// script's id. The element names its script and stylesheet.
	const mapArea = document.querySelector("[data-maplibre-js]");
	function fetchMaplibre() {
		const { maplibreJs, maplibreCss, maplibreId } = mapArea.dataset;
		if (document.getElementById(maplibreId)) return;
		const link = document.createElement("link");
		link.rel = "stylesheet";
		link.href = maplibreCss;
		const script = document.createElement("script");
		script.id = maplibreId;
		script.src = maplibreJs;
		document.head.append(link, script);
	}
	if (mapArea && mapArea.dataset.maplibreOn === "demande") {
		const button = mapArea.querySelector("[data-carte-ouvrir]");
		button?.addEventListener("click", () => {
			fetchMaplibre();
			button.disabled = true;
			button.firstChild.textContent = "Chargement de la carte…";
			mapArea.dataset.maplibreAsked = "true";
			mapArea.dispatchEvent(new Event("carte:demandee"));
		}, { once: true });
	} else if (mapArea && "IntersectionObserver" in window) {
		const observer = new IntersectionObserver((entries) => {
			if (!entries.some((entry) => entry.isIntersecting)) return;
			observer.disconnect();
			fetchMaplibre();
		}, { rootMargin: mapArea.dataset.maplibreNear });
		observer.observe(mapArea);
	}
	idle(() => {
		import(`${root}/${pkg_path}/${output_name}.js`).then((mod) => {
			mod.default({ module_or_path: `${root}/${pkg_path}/${wasm_output_name}.wasm` }).then(async () => {
				mod.hydrate();
				await hydrateIslands(document.body, mod);
				document.body.dataset.hydrated = "true";
			});
		});
	});
})

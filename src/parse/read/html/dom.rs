//! The page's tree: html5ever's tree builder (the browser's repair rules) building into a
//! flat arena that holds only what the reader looks at — element names, attributes and
//! text. scraper's tree carried a selector-ready element (class sets, id) per node and a
//! generic tree around it; building and dropping it was a fifth of a page's time.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

/// A node's index in [`Dom::nodes`].
pub(crate) type Id = usize;

/// The document node.
pub(crate) const ROOT: Id = 0;

pub(crate) enum Data {
    Document,
    /// A `<template>`'s contents.
    Fragment,
    Element(Element),
    Text(StrTendril),
    /// A comment's text: never shown, but a CMS template may comment a page's body out
    /// and fill the page from it by script (see `held` in the reader).
    Comment(StrTendril),
    /// Doctypes, processing instructions: never read.
    Other,
}

pub(crate) struct Element {
    pub(crate) name: QualName,
    attrs: Vec<Attribute>,
}

impl Element {
    /// The tag name (local name, lower case).
    pub(crate) fn name(&self) -> &str {
        &self.name.local
    }

    /// An attribute's value, by its name (`local_name!("class")`).
    pub(crate) fn attr(&self, name: &LocalName) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.local == *name && a.name.ns == ns!())
            .map(|a| &*a.value)
    }

    /// The values of its `data-*` attributes (where a page may keep its body as markup,
    /// `data-content="&lt;p&gt;…"`).
    pub(crate) fn data_attrs(&self) -> impl Iterator<Item = &str> {
        self.attrs
            .iter()
            .filter(|a| a.name.ns == ns!() && a.name.local.starts_with("data-"))
            .map(|a| &*a.value)
    }
}

pub(crate) struct Node {
    pub(crate) parent: Option<Id>,
    pub(crate) first_child: Option<Id>,
    last_child: Option<Id>,
    prev: Option<Id>,
    pub(crate) next: Option<Id>,
    pub(crate) data: Data,
}

/// The tree: nodes in creation order, linked as parent, children and siblings.
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
}

impl Dom {
    fn new(capacity: usize) -> Dom {
        let mut nodes = Vec::with_capacity(capacity);
        nodes.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
            data: Data::Document,
        });
        Dom { nodes }
    }

    fn orphan(&mut self, data: Data) -> Id {
        self.nodes.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
            data,
        });
        self.nodes.len() - 1
    }

    pub(crate) fn element(&self, id: Id) -> Option<&Element> {
        match &self.nodes[id].data {
            Data::Element(el) => Some(el),
            _ => None,
        }
    }

    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: Id) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id].first_child,
        }
    }

    /// The subtree of `id` in document order, each node opened and closed.
    pub(crate) fn traverse(&self, id: Id) -> Traverse<'_> {
        Traverse {
            dom: self,
            root: id,
            next: Some(Edge::Open(id)),
        }
    }

    fn detach(&mut self, id: Id) {
        let Some(parent) = self.nodes[id].parent.take() else {
            return;
        };
        let (prev, next) = (self.nodes[id].prev.take(), self.nodes[id].next.take());
        match prev {
            Some(p) => self.nodes[p].next = next,
            None => self.nodes[parent].first_child = next,
        }
        match next {
            Some(n) => self.nodes[n].prev = prev,
            None => self.nodes[parent].last_child = prev,
        }
    }

    fn append(&mut self, parent: Id, child: Id) {
        self.detach(child);
        let last = self.nodes[parent].last_child;
        self.nodes[child].parent = Some(parent);
        self.nodes[child].prev = last;
        match last {
            Some(l) => self.nodes[l].next = Some(child),
            None => self.nodes[parent].first_child = Some(child),
        }
        self.nodes[parent].last_child = Some(child);
    }

    fn insert_before(&mut self, sibling: Id, child: Id) {
        self.detach(child);
        let Some(parent) = self.nodes[sibling].parent else {
            return;
        };
        let prev = self.nodes[sibling].prev;
        self.nodes[child].parent = Some(parent);
        self.nodes[child].prev = prev;
        self.nodes[child].next = Some(sibling);
        self.nodes[sibling].prev = Some(child);
        match prev {
            Some(p) => self.nodes[p].next = Some(child),
            None => self.nodes[parent].first_child = Some(child),
        }
    }

    /// Appends text to `parent`, joined to its last child when that is text.
    fn append_text(&mut self, parent: Id, text: StrTendril) {
        if let Some(last) = self.nodes[parent].last_child {
            if let Data::Text(t) = &mut self.nodes[last].data {
                t.push_tendril(&text);
                return;
            }
        }
        let id = self.orphan(Data::Text(text));
        self.append(parent, id);
    }
}

pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: Option<Id>,
}

impl Iterator for Children<'_> {
    type Item = Id;
    fn next(&mut self) -> Option<Id> {
        let id = self.next?;
        self.next = self.dom.nodes[id].next;
        Some(id)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Open(Id),
    Close(Id),
}

pub(crate) struct Traverse<'a> {
    dom: &'a Dom,
    root: Id,
    next: Option<Edge>,
}

impl Iterator for Traverse<'_> {
    type Item = Edge;
    fn next(&mut self) -> Option<Edge> {
        let edge = self.next?;
        let nodes = &self.dom.nodes;
        self.next = match edge {
            Edge::Open(id) => Some(match nodes[id].first_child {
                Some(child) => Edge::Open(child),
                None => Edge::Close(id),
            }),
            Edge::Close(id) if id == self.root => None,
            Edge::Close(id) => match (nodes[id].next, nodes[id].parent) {
                (Some(sibling), _) => Some(Edge::Open(sibling)),
                (None, Some(parent)) => Some(Edge::Close(parent)),
                (None, None) => None,
            },
        };
        Some(edge)
    }
}

/// The tree builder's side of the arena.
pub(crate) struct Sink(RefCell<Dom>);

impl Sink {
    /// A sink for a page of `len` bytes (CMS pages run about 17 bytes a node: the arena
    /// is sized once instead of regrown and copied).
    pub(crate) fn for_page(len: usize) -> Sink {
        Sink(RefCell::new(Dom::new(len / 16 + 16)))
    }
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |dom| match &dom.nodes[*target].data {
            Data::Element(el) => &el.name,
            _ => panic!("the tree builder asked for the name of a non-element"),
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> Id {
        let template = name.ns == ns!(html) && name.local == local_name!("template");
        let mut dom = self.0.borrow_mut();
        let id = dom.orphan(Data::Element(Element { name, attrs }));
        if template {
            let contents = dom.orphan(Data::Fragment);
            dom.append(id, contents);
        }
        id
    }

    fn create_comment(&self, text: StrTendril) -> Id {
        self.0.borrow_mut().orphan(Data::Comment(text))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.0.borrow_mut().orphan(Data::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        let mut dom = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => dom.append(*parent, id),
            NodeOrText::AppendText(text) => dom.append_text(*parent, text),
        }
    }

    fn append_based_on_parent_node(&self, element: &Id, prev_element: &Id, child: NodeOrText<Id>) {
        let has_parent = self.0.borrow().nodes[*element].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        let mut dom = self.0.borrow_mut();
        let id = dom.orphan(Data::Other);
        dom.append(ROOT, id);
    }

    fn get_template_contents(&self, target: &Id) -> Id {
        self.0.borrow().nodes[*target]
            .first_child
            .expect("a template has its contents node")
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let mut dom = self.0.borrow_mut();
        if let NodeOrText::AppendNode(id) = &new_node {
            dom.detach(*id);
        }
        if dom.nodes[*sibling].parent.is_none() {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => dom.insert_before(*sibling, id),
            NodeOrText::AppendText(text) => {
                if let Some(prev) = dom.nodes[*sibling].prev {
                    if let Data::Text(t) = &mut dom.nodes[prev].data {
                        t.push_tendril(&text);
                        return;
                    }
                }
                let id = dom.orphan(Data::Text(text));
                dom.insert_before(*sibling, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut dom = self.0.borrow_mut();
        if let Data::Element(el) = &mut dom.nodes[*target].data {
            for attr in attrs {
                if !el.attrs.iter().any(|a| a.name == attr.name) {
                    el.attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut dom = self.0.borrow_mut();
        while let Some(child) = dom.nodes[*node].first_child {
            dom.append(*new_parent, child);
        }
    }
}

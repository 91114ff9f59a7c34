"""RSS and Atom feeds of new reports, optionally for one neighbourhood or category
(``?neighbourhood=karosta&category=pothole``)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors

FEED_SIZE = 50


class ReportsRssFeed(Feed):
    def get_object(self, request):
        municipality = request.municipality
        if not municipality:
            raise Http404
        self.filters = {
            name: request.GET.get(name, "").replace("\x00", "")[:50]
            for name in ("neighbourhood", "category")
        }
        return municipality

    def title(self, obj):
        return _("New reports · %(municipality)s") % {"municipality": obj.name}

    def link(self, obj):
        return reverse("reports:list")

    def description(self, obj):
        return _("Problems residents reported in public places.")

    def items(self, obj):
        qs = selectors.reports_public(municipality=obj)
        return selectors.reports_filter(qs, **self.filters)[:FEED_SIZE]

    def item_title(self, item):
        return f"#{item.pk} {item.category.name} — {item.neighbourhood.name}"

    def item_description(self, item):
        return item.description

    def item_link(self, item):
        return reverse("reports:detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.category.name, item.get_status_display()]


class ReportsAtomFeed(ReportsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)

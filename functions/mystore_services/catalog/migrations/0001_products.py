"""products, seeded with the store's catalog

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The product ids are derived from the slugs, so every installation has the same ids.
NAMESPACE = uuid.UUID("6f1d7c0e-4b7a-4e0a-9a57-3c2b1f0d9e11")
SEED = [
    # slug, name, description, price in cents (EUR)
    (
        "espresso-beans",
        "Espresso Beans 1 kg",
        "Dark-roasted arabica and robusta blend with notes of cocoa "
        "and toasted hazelnut. Roasted weekly in small batches.",
        2490,
    ),
    (
        "pour-over-kettle",
        "Pour-Over Kettle",
        "0.9 l stainless steel gooseneck kettle with a thermometer in the lid, for a slow and even pour.",
        4900,
    ),
    (
        "ceramic-dripper",
        "Ceramic Dripper",
        "Single-cup porcelain dripper with spiral ribs; fits size 02 paper filters.",
        2200,
    ),
    (
        "hand-grinder",
        "Hand Grinder",
        "Conical steel burrs, 40 click settings from espresso to French press, folds into a travel case.",
        8900,
    ),
    (
        "glass-carafe",
        "Glass Carafe 600 ml",
        "Heat-resistant borosilicate glass server with a cork collar.",
        2700,
    ),
    (
        "milk-frother",
        "Milk Frother",
        "Battery-powered whisk that turns cold or warm milk into foam in fifteen seconds.",
        1490,
    ),
    (
        "travel-mug",
        "Travel Mug 350 ml",
        "Double-walled, vacuum-insulated mug that keeps coffee hot for six hours; leak-proof lid.",
        2990,
    ),
    (
        "paper-filters",
        "Paper Filters x100",
        "Unbleached size 02 cone filters, oxygen-whitened without chlorine.",
        590,
    ),
    (
        "digital-scale",
        "Digital Scale",
        "0.1 g resolution scale with a built-in brew timer and an auto-tare button.",
        3900,
    ),
    (
        "french-press",
        "French Press 1 l",
        "Stainless steel press with a four-layer mesh filter for a clean full-bodied cup.",
        3490,
    ),
    (
        "cold-brew-jar",
        "Cold Brew Jar",
        "1.5 l jar with a fine steel filter for overnight cold brew in the fridge.",
        2590,
    ),
    (
        "decaf-beans",
        "Decaf Beans 500 g",
        "Swiss Water process decaffeinated Colombian beans, medium roast, caramel sweetness.",
        1690,
    ),
    (
        "espresso-cups",
        "Espresso Cups x2",
        "Thick-walled porcelain cups (80 ml) that keep the crema warm, with saucers.",
        1890,
    ),
    (
        "tamper",
        "Coffee Tamper 58 mm",
        "Flat stainless steel base with a walnut handle, for even espresso pucks.",
        2290,
    ),
]


def upgrade() -> None:
    products = op.create_table(
        "products",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("image_url", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.bulk_insert(
        products,
        [
            {
                "id": str(uuid.uuid5(NAMESPACE, slug)),
                "slug": slug,
                "name": name,
                "description": description,
                "price_minor": price,
                "currency": "EUR",
                "image_url": f"/images/products/{slug}.svg",
                "position": position,
            }
            for position, (slug, name, description, price) in enumerate(SEED)
        ],
    )


def downgrade() -> None:
    op.drop_table("products")

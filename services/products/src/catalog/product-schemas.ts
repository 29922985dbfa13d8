import { Type, type Static } from 'typebox';
import { SKU_PATTERN } from './product.ts';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Description = Type.String({ maxLength: 5000 });
const Price = Type.Number({ minimum: 0, maximum: 1_000_000 });
const Category = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' });
const Stock = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const Sku = Type.String({ pattern: SKU_PATTERN });
const ImageUrl = Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()]);
const Threshold = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const ProductSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  price: Type.Number(),
  category: Type.String(),
  stock_quantity: Type.Integer(),
  image_url: Type.Union([Type.String(), Type.Null()]),
  thumbnail_url: Type.Union([Type.String(), Type.Null()]),
  sku: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const NewProduct = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    price: Price,
    category: Category,
    stock_quantity: Type.Optional(Stock),
    image_url: Type.Optional(ImageUrl),
    sku: Sku,
    low_stock_threshold: Type.Optional(Threshold),
  },
  { additionalProperties: false },
);
export type NewProduct = Static<typeof NewProduct>;

// Stock moves only through PATCH /:id/stock, where every change is one conditional write.
export const ProductPatch = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    price: Type.Optional(Price),
    category: Type.Optional(Category),
    image_url: Type.Optional(ImageUrl),
    sku: Type.Optional(Sku),
    low_stock_threshold: Type.Optional(Threshold),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProductPatch = Static<typeof ProductPatch>;

export const StockChange = Type.Union([
  Type.Object(
    { delta: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000 }) },
    { additionalProperties: false },
  ),
  Type.Object({ stock_quantity: Stock }, { additionalProperties: false }),
]);
export type StockChange = Static<typeof StockChange>;

export const ListQuerystring = Type.Object(
  {
    category: Type.Optional(Category),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    min_price: Type.Optional(Price),
    max_price: Type.Optional(Price),
    in_stock: Type.Optional(Type.Boolean()),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListQuerystring = Static<typeof ListQuerystring>;

export const PageSchema = Type.Object({
  items: Type.Array(ProductSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export const CategoriesSchema = Type.Object({
  items: Type.Array(Type.Object({ name: Type.String(), product_count: Type.Integer() })),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export type IdParams = Static<typeof IdParams>;
export const SkuParams = Type.Object({ sku: Sku });
export type SkuParams = Static<typeof SkuParams>;

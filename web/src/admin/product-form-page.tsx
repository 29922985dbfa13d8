import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../shared/api.ts';
import type { Product } from '../shared/types.ts';
import { Field, fieldError, Loading, Problem, useTitle } from '../shared/ui.tsx';
import { StockAdjust } from './products-page.tsx';

function ProductForm({ product }: { product?: Product }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      product
        ? api<Product>(`/api/products/${product.id}`, { method: 'PUT', body })
        : api<Product>('/api/products', { method: 'POST', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['admin-products'] });
      queryClient.setQueryData(['admin-product', String(saved.id)], saved);
      navigate(`/products/${saved.id}`, { replace: true });
    },
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    // Numbers the browser could not read go as they are, so the API names the field that is wrong.
    const number = (name: string) =>
      text(name) === '' || Number.isNaN(Number(text(name))) ? text(name) : Number(text(name));
    const body: Record<string, unknown> = {
      name: text('name'),
      description: text('description'),
      price: number('price'),
      category: text('category'),
      sku: text('sku').toUpperCase(),
      image_url: text('image_url') || null,
    };
    if (!product) body['stock_quantity'] = text('stock_quantity') === '' ? 0 : number('stock_quantity');
    save.mutate(body);
  };
  const err = save.error;
  return (
    <form onSubmit={submit} className="form" noValidate>
      <Field label="Name" name="name" required defaultValue={product?.name} error={fieldError(err, 'name')} />
      <Field
        label="Description"
        name="description"
        defaultValue={product?.description}
        error={fieldError(err, 'description')}
      />
      <Field
        label="Price (USD)"
        name="price"
        inputMode="decimal"
        required
        defaultValue={product?.price}
        error={fieldError(err, 'price')}
      />
      <Field
        label="Category"
        name="category"
        required
        defaultValue={product?.category}
        error={fieldError(err, 'category')}
      />
      <Field
        label="SKU"
        name="sku"
        required
        hint="Capital letters, digits and dashes, 3 to 32"
        defaultValue={product?.sku}
        error={fieldError(err, 'sku')}
      />
      <Field
        label="Image URL (optional)"
        name="image_url"
        type="url"
        defaultValue={product?.image_url ?? ''}
        error={fieldError(err, 'image_url')}
      />
      {!product && (
        <Field
          label="Stock"
          name="stock_quantity"
          inputMode="numeric"
          defaultValue="0"
          error={fieldError(err, 'stock_quantity')}
        />
      )}
      <Problem error={err} />
      {save.isSuccess && <p role="status">Saved.</p>}
      <button type="submit" disabled={save.isPending}>
        {product ? 'Save product' : 'Create product'}
      </button>
    </form>
  );
}

export function ProductFormPage() {
  const { id } = useParams();
  useTitle(`${id ? 'Edit product' : 'New product'} · Emporium admin`);
  const product = useQuery({
    queryKey: ['admin-product', id],
    enabled: !!id,
    queryFn: () => api<Product>(`/api/products/${id}`),
  });
  if (!id) {
    return (
      <section className="narrow">
        <h1>New product</h1>
        <ProductForm />
      </section>
    );
  }
  if (product.isPending) return <Loading what="Loading the product" />;
  if (product.error) return <Problem error={product.error} />;
  return (
    <section className="narrow">
      <h1>Edit {product.data.name}</h1>
      <p>
        Stock: <strong data-testid="stock">{product.data.stock_quantity}</strong>
      </p>
      <StockAdjust product={product.data} />
      <ProductForm product={product.data} key={product.data.updated_at} />
    </section>
  );
}

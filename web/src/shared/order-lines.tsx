import { Link } from 'react-router';
import { formatMoney } from './format.ts';
import type { Order } from './types.ts';

/** An order's items and total, as the customer's and the admin's order pages both show them. */
export function OrderLines({ order }: { order: Order }) {
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Items</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Quantity</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.product_id}>
              <td>
                <Link to={`/products/${i.product_id}`}>{i.product_name}</Link>
              </td>
              <td>{i.quantity}</td>
              <td>{formatMoney(i.price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total">
        Total <strong>{formatMoney(order.total_amount)}</strong>
      </p>
    </>
  );
}

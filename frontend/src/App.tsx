import { lazy, Suspense } from 'react'
import { Link, Route, Routes } from 'react-router'
import { AuthProvider, RequireAuth } from './auth'
import { CartProvider } from './cart'
import Layout from './components/Layout'
import { EmptyState, Loading } from './components/Status'
import { link } from './components/styles'
import CartPage from './pages/CartPage'
import CheckoutPage from './pages/CheckoutPage'
import LoginPage from './pages/LoginPage'
import OrderDetailPage from './pages/OrderDetailPage'
import OrdersPage from './pages/OrdersPage'
import ProductsPage from './pages/ProductsPage'
import RegisterPage from './pages/RegisterPage'

// The dashboard and its chart library load only when an admin opens it.
const AdminPage = lazy(() => import('./pages/AdminPage'))

/** The storefront's routes; the caller supplies the router (BrowserRouter, or MemoryRouter in tests). */
export default function App() {
  return (
    <AuthProvider>
      <CartProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<ProductsPage />} />
            <Route path="cart" element={<CartPage />} />
            <Route path="login" element={<LoginPage />} />
            <Route path="register" element={<RegisterPage />} />
            <Route path="checkout" element={<RequireAuth><CheckoutPage /></RequireAuth>} />
            <Route path="orders" element={<RequireAuth><OrdersPage /></RequireAuth>} />
            <Route path="orders/:id" element={<RequireAuth><OrderDetailPage /></RequireAuth>} />
            <Route
              path="admin"
              element={
                <RequireAuth admin>
                  <Suspense fallback={<Loading />}>
                    <AdminPage />
                  </Suspense>
                </RequireAuth>
              }
            />
            <Route
              path="*"
              element={
                <EmptyState title="Page not found">
                  <Link to="/" className={link}>
                    Go to the products
                  </Link>
                </EmptyState>
              }
            />
          </Route>
        </Routes>
      </CartProvider>
    </AuthProvider>
  )
}

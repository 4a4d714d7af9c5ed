import{createRoot as r}from'./vendor.js';r(document.getElementById('root')).render(App());
